import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import pc from "picocolors";
import { defaultConfigPath } from "../../machinery/clientconfig";
import { KeelsonError } from "../../machinery/errors";
import type { ClusterRecord } from "../../provisioners/process";
import { parseDuration } from "../lib/duration";
import type { GlobalOptions } from "../lib/global-options";
import { renderData, renderTable } from "../lib/output";
import { parseBoolean } from "../lib/parse-boolean";
import { progressReporter } from "../lib/progress";
import { toCount } from "./streams";

/** The qemu provisioner: the metal image in QEMU machines, with live progress like a process cluster's. */
async function createOnQemu(
  opts: {
    name: string;
    controlPlanes: number;
    workers: number;
    timeout: number;
    image?: string;
    memory: number;
    cpus: number;
    disk: number;
    kubernetes: "kubesim" | "none";
    timeScale: number;
    containerRuntime: boolean;
  },
  global: GlobalOptions,
): Promise<void> {
  const configPath = global.config ?? defaultConfigPath();
  const { createQemuCluster } = await import("../../provisioners/qemu/create-qemu-cluster");
  const progress = progressReporter(
    `creating cluster ${opts.name} (QEMU)`,
    opts.controlPlanes + opts.workers,
  );
  const record = await createQemuCluster({
    name: opts.name,
    controlPlanes: opts.controlPlanes,
    workers: opts.workers,
    configPath,
    ...(opts.image ? { image: opts.image } : {}),
    memoryMiB: opts.memory,
    cpus: opts.cpus,
    diskGiB: opts.disk,
    containerRuntime: opts.containerRuntime,
    kubernetes: opts.kubernetes,
    timeScale: opts.timeScale,
    readyTimeoutMs: opts.timeout * 1000,
    onProgress: progress.update,
    onNotice: (line) => process.stderr.write(`${line}\n`),
  }).finally(progress.done);
  process.stderr.write(
    `${pc.green("✓")} cluster ${record.name} is ready; context "${record.name}" written to ${configPath}\n  try: keelctl --context ${record.name} version\n  a node's console: keelctl cluster console ${record.nodes[0]?.name ?? "cp-1"} --name ${record.name}\n`,
  );
  if (record.kubernetes)
    process.stderr.write(
      `  Kubernetes (kubesim, a simulator) at ${record.kubernetes.address}:\n    kubectl --kubeconfig ${record.kubernetes.kubeconfig} get nodes\n`,
    );
  printCluster(record, global);
}

/** Prints a file, then (following) what is added to it, until interrupted. */
async function followFile(path: string, follow: boolean): Promise<void> {
  let offset = 0;
  for (;;) {
    const text = await readFile(path).catch(() => Buffer.alloc(0));
    if (text.length > offset) process.stdout.write(text.subarray(offset));
    offset = Math.max(offset, text.length);
    if (!follow) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Loaded on use: creating a cluster pulls in certificate issuance, which other commands never need. */
const provisioner = () => import("../../provisioners/process");

/** Local clusters: nodes as processes on this machine, each on its own loopback address. */
export function addClusterCommands(program: Command): void {
  const cluster = program.command("cluster").description("create, show and destroy local clusters");

  cluster
    .command("create")
    .description("create a local cluster and wait until every node is ready")
    .option("--name <name>", "cluster name", "keelson")
    .option("--control-planes <count>", "control-plane nodes", toCount, 1)
    .option("--workers <count>", "worker nodes", toCount, 1)
    .option("--provisioner <name>", "how nodes run: process, or qemu (the metal image)", "process")
    .option("--image <disk>", "qemu: the metal disk image (default: the one built last)")
    .option("--memory <MiB>", "qemu: each machine's memory", toCount, 1024)
    .option("--cpus <count>", "qemu: each machine's CPUs", toCount, 1)
    .option("--disk <GiB>", "qemu: each machine's disk (EPHEMERAL grows to fill it)", Number, 2)
    .option("--kubernetes <kind>", "kubesim (the Kubernetes API simulator) or none", "kubesim")
    .option("--demo-workload", "add a Deployment with a PDB, a DaemonSet and a StatefulSet", false)
    .option("--time-scale <factor>", "scale simulated Kubernetes durations (e.g. 0.1)", Number, 1)
    .option("--skip-config", "boot the nodes unconfigured, in maintenance mode", false)
    .option("--no-container-runtime", "do not run containerd on the nodes (it needs root)")
    .option(
      "--wait [bool]",
      "wait until every node is ready (--wait=false: until they answer)",
      parseBoolean,
      true,
    )
    .option(
      "--timeout <duration>",
      "how long to wait for the nodes (e.g. 90s, 5m)",
      parseDuration,
      300,
    )
    .action(
      async (
        opts: {
          name: string;
          controlPlanes: number;
          workers: number;
          provisioner: string;
          kubernetes: string;
          demoWorkload: boolean;
          timeScale: number;
          skipConfig: boolean;
          containerRuntime: boolean;
          wait: boolean;
          timeout: number;
          image?: string;
          memory: number;
          cpus: number;
          disk: number;
        },
        command: Command,
      ) => {
        const global = command.optsWithGlobals() as GlobalOptions;
        if (opts.kubernetes !== "kubesim" && opts.kubernetes !== "none")
          throw new KeelsonError(
            "invalidArgument",
            `--kubernetes must be kubesim or none, not "${opts.kubernetes}"`,
          );
        if (opts.provisioner === "qemu")
          return createOnQemu({ ...opts, kubernetes: opts.kubernetes }, global);
        if (opts.provisioner !== "process")
          throw new KeelsonError(
            "invalidArgument",
            `--provisioner must be process or qemu, not "${opts.provisioner}"`,
          );
        const configPath = global.config ?? defaultConfigPath();
        const progress = progressReporter(
          `creating cluster ${opts.name}`,
          opts.controlPlanes + opts.workers,
        );
        const { createCluster } = await provisioner();
        const record = await createCluster({
          ...opts,
          kubernetes: opts.kubernetes,
          configPath,
          readyTimeoutMs: opts.timeout * 1000,
          onProgress: progress.update,
        }).finally(progress.done);
        process.stderr.write(
          `${pc.green("✓")} cluster ${record.name} is ${opts.wait ? "ready" : "up (readiness not awaited)"}; context "${record.name}" written to ${configPath}\n`,
        );
        process.stderr.write(`  try: keelctl --context ${record.name} version\n`);
        if (record.kubernetes) {
          process.stderr.write(
            `  Kubernetes (kubesim, a simulator) at ${record.kubernetes.address}:\n    kubectl --kubeconfig ${record.kubernetes.kubeconfig} get nodes\n`,
          );
        }
        printCluster(record, global);
      },
    );

  cluster
    .command("console <node>")
    .description("follow a node's console (its serial port), as a person at the machine sees it")
    .option("--name <name>", "cluster name", "keelson")
    .option("--no-follow", "print what it shows now and stop")
    .action(async (node: string, opts: { name: string; follow: boolean }) => {
      const record = await (await provisioner()).readClusterRecord(opts.name);
      const found = record.nodes.find((n) => n.name === node);
      if (!found)
        throw new KeelsonError(
          "notFound",
          `cluster ${opts.name} has no node ${node}`,
          `its nodes: ${record.nodes.map((n) => n.name).join(", ")}`,
        );
      await followFile(join(found.stateDir, "console.log"), opts.follow);
    });

  cluster
    .command("show")
    .description("show a local cluster's nodes and addresses")
    .option("--name <name>", "cluster name", "keelson")
    .action(async (opts: { name: string }, command: Command) => {
      printCluster(
        await (await provisioner()).readClusterRecord(opts.name),
        command.optsWithGlobals() as GlobalOptions,
      );
    });

  cluster
    .command("list")
    .description("list local clusters")
    .action(async (_opts, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const records = await (await provisioner()).listClusters();
      if (global.output !== "table")
        return void process.stdout.write(`${renderData(global.output, records.map(summary))}\n`);
      const rows = records.map((r) => [r.name, r.provisioner, r.nodes.length, r.createdAt]);
      process.stdout.write(`${renderTable(["name", "provisioner", "nodes", "created"], rows)}\n`);
    });

  cluster
    .command("destroy")
    .description("stop every node of a local cluster and remove its state")
    .option("--name <name>", "cluster name", "keelson")
    .action(async (opts: { name: string }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      await (await provisioner()).destroyCluster(opts.name, global.config ?? defaultConfigPath());
      process.stderr.write(`${pc.green("✓")} cluster ${opts.name} destroyed\n`);
    });
}

function summary(record: ClusterRecord) {
  return {
    name: record.name,
    provisioner: record.provisioner,
    nodes: record.nodes.map((n) => ({ name: n.name, role: n.role, address: n.address })),
    ...(record.kubernetes
      ? {
          kubernetes: {
            address: record.kubernetes.address,
            kubeconfig: record.kubernetes.kubeconfig,
          },
        }
      : {}),
  };
}

function printCluster(record: ClusterRecord, global: GlobalOptions): void {
  if (global.output !== "table")
    return void process.stdout.write(`${renderData(global.output, summary(record))}\n`);
  const rows = record.nodes.map((n) => [n.name, n.role, n.address]);
  process.stdout.write(`${renderTable(["node", "role", "address"], rows)}\n`);
  if (record.kubernetes) {
    process.stdout.write(
      `\nkubernetes: ${record.kubernetes.address} (kubesim)\nkubeconfig: ${record.kubernetes.kubeconfig}\n`,
    );
  }
}
