import type { Command } from "commander";
import pc from "picocolors";
import { defaultConfigPath } from "../../machinery/clientconfig";
import type { ClusterRecord } from "../../provisioners/process";
import { parseDuration } from "../lib/duration";
import type { GlobalOptions } from "../lib/global-options";
import { renderData, renderTable } from "../lib/output";
import { parseBoolean } from "../lib/parse-boolean";
import { progressReporter } from "../lib/progress";
import { toCount } from "./streams";

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
    .option("--provisioner <name>", "how nodes run: process", "process")
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
        },
        command: Command,
      ) => {
        const global = command.optsWithGlobals() as GlobalOptions;
        if (opts.provisioner !== "process")
          throw new Error(`provisioner "${opts.provisioner}" is not available yet; use process`);
        if (opts.kubernetes !== "kubesim" && opts.kubernetes !== "none")
          throw new Error(`--kubernetes must be kubesim or none, not "${opts.kubernetes}"`);
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
