// Image benchmark (npm run bench:image): builds the metal image (Debian's
// packages cached), then boots it under QEMU with OVMF (software emulation)
// and times the boot from QEMU's start to keelson-init's verified root and to
// the agent's API answering Version (maintenance mode, through the port QEMU
// forwards to a loopback address): one machine, its first power-on and three
// later boots (the target's figure). Reports the bundle's size, the
// root's executables and the build time against the targets. Prints
// figures and writes bench/image-results.json. Figures, not assertions.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@connectrpc/connect";
import type { MachineService } from "../src/machinery/api/gen/keelson/machine/v1/machine_pb";
import { connectMachine, connectMaintenance } from "../src/machinery/client";
import {
  applyPatches,
  generateConfigs,
  generateSecrets,
  stringifyConfig,
} from "../src/machinery/config";
import { allocateLoopbackSubnet } from "../src/machinery/platform/loopback-subnet";
import { buildMetalImage } from "../src/provisioners/image/metal/metal-image";
import { type Accelerator, accelerator } from "../src/provisioners/qemu/accelerator";
import {
  QemuMachine,
  userNetwork,
  userNetworkPlatform,
} from "../src/provisioners/qemu/qemu-machine";
import { eventually } from "../src/testing/eventually";

/** Resolves once the node's API answers Version; tries again until the deadline. */
async function answered(address: string, token: string, deadline: number): Promise<void> {
  for (;;) {
    const connection = connectMaintenance(address, token, 1000);
    try {
      await connection.client.version({});
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    } finally {
      connection.close();
    }
  }
}

/**
 * The agent's resident memory on the image, idle: a control plane configured
 * from the platform's user data, its etcd bootstrapped, then left alone for
 * 30 s; read through its own Processes API, with the node's total. Then
 * again after a reboot, the node's steady state.
 */
async function idleAgent(disk: string, accel: Accelerator) {
  const secrets = await generateSecrets();
  const configs = await generateConfigs({
    clusterName: "bench",
    endpoint: `https://${userNetwork.address}:6443`,
    secrets,
  });
  const context = Object.values(configs.clientConfig.contexts)[0];
  if (!context) throw new Error("no client context");
  const credentials = { ca: context.ca, cert: context.crt, key: context.key };
  const subnet = await allocateLoopbackSubnet({ hosts: [1], ports: [50000], owner: dir });
  const machine = new QemuMachine({
    dir: mkdtempSync(join(dir, "vm-")),
    disk,
    accelerator: accel,
    apiAddress: subnet.address(1),
    platform: userNetworkPlatform(
      { apiAliases: [subnet.address(1)], containerRuntime: false },
      stringifyConfig(
        applyPatches(configs.controlplane, [
          { type: "strategic", documents: [{ machine: { install: { disk: "/dev/vda" } } }] },
        ]),
      ),
    ),
  });
  const connection = connectMachine(`${subnet.address(1)}:50000`, credentials, 20_000);
  try {
    await eventually("the configured API", () => connection.client.version({}), {
      timeoutMs: 300_000,
      intervalMs: 1000,
    });
    await connection.client.etcdBootstrap({}, { timeoutMs: 120_000 });
    const firstBoot = await idleSample(connection.client);
    // Rebooted: certificates are kept, so the X.509 library the first boot issued them with is never loaded.
    const booted = (await connection.client.health({})).bootId;
    await connection.client.reboot({});
    await eventually(
      "the API after the reboot",
      async () => (await connection.client.health({})).bootId !== booted,
      { timeoutMs: 300_000, intervalMs: 1000 },
    );
    return { ...firstBoot, afterReboot: await idleSample(connection.client) };
  } finally {
    connection.close();
    await machine.stop();
  }
}

/**
 * One boot of the machine in `vmDir` (its NVRAM kept there) in maintenance
 * mode: how long to the verified root, and to the API answering a call.
 */
async function timedBoot(disk: string, vmDir: string, accelerator: Accelerator) {
  const subnet = await allocateLoopbackSubnet({ hosts: [1], ports: [50000], owner: vmDir });
  const machine = new QemuMachine({
    dir: vmDir,
    disk,
    accelerator,
    apiAddress: subnet.address(1),
    platform: {
      "platform.json": JSON.stringify({ platform: "qemu", address: userNetwork.address }),
      network: `${userNetwork.address}/${userNetwork.prefix} ${userNetwork.gateway}`,
    },
  });
  const start = Date.now();
  try {
    await machine.waitFor(/keelson-init: root \S+ mounted and verified/, 180_000);
    const rootMs = Date.now() - start;
    const [, token = ""] = await machine.waitFor(/bootstrap token: (\S+)/, 120_000);
    await answered(`${subnet.address(1)}:50000`, token, start + 180_000);
    return { rootMs, apiMs: Date.now() - start };
  } finally {
    await machine.stop();
  }
}

/** The agent's resident memory and every process's, after 30 s alone. */
async function idleSample(client: Client<typeof MachineService>) {
  await new Promise((resolve) => setTimeout(resolve, 30_000));
  const { processes } = await client.processes({});
  const self = processes.find((p) => p.args.some((a) => a.endsWith("keelsond.mjs")));
  const memory = await client.memory({});
  return {
    rssMiB: Number(self?.residentBytes ?? 0) / 2 ** 20,
    processes: processes.map((p) => ({
      name: p.name,
      rssMiB: Number(p.residentBytes) / 2 ** 20,
    })),
    nodeUsedMiB: Number(memory.totalBytes - memory.availableBytes) / 2 ** 20,
  };
}

const dir = mkdtempSync(join(tmpdir(), "image-bench-"));
try {
  let t = Date.now();
  await buildMetalImage({ version: "0.1.0", output: join(dir, "warm") }); // fetches the packages once
  const fetchAndBuildMs = Date.now() - t;
  t = Date.now();
  const image = await buildMetalImage({ version: "0.1.0", output: join(dir, "image") });
  // A fresh copy for the configured node: the boots below write their own platform record to STATE.
  const fresh = join(dir, "configured.raw");
  copyFileSync(image.disk, fresh);
  const buildMs = Date.now() - t;
  const accel = await accelerator();
  console.log(`QEMU accelerator: ${accel.accelerator} (${accel.why})`);
  // One machine booted four times, as a node boots: its first power-on (OVMF
  // writes its boot options to a fresh NVRAM, the agent makes its maintenance
  // certificate), then three later boots, the figure the target is about.
  const vmDir = mkdtempSync(join(dir, "vm-"));
  const boots: { rootMs: number; apiMs: number }[] = [];
  for (let i = 0; i < 4; i++) boots.push(await timedBoot(image.disk, vmDir, accel.accelerator));
  const [firstPowerOn, ...later] = boots;
  const agent = await idleAgent(fresh, accel.accelerator);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const results = {
    date: new Date().toISOString(),
    kernel: image.kernel,
    accelerator: accel,
    buildSeconds: buildMs / 1000,
    firstBuildWithDownloadsSeconds: fetchAndBuildMs / 1000,
    bundleMB: image.bytes.bundle / 1e6,
    rootMB: image.bytes.root / 1e6,
    diskMiB: image.bytes.disk / 2 ** 20,
    executables: image.executables,
    bootUnderTcgSeconds: {
      toVerifiedRoot: median(later.map((b) => b.rootMs)) / 1000,
      toApiAnswering: median(later.map((b) => b.apiMs)) / 1000,
      runs: later,
      firstPowerOn,
    },
    idleAgentOnImage: agent,
    targets: {
      agentRssAtMost60MiB: agent.rssMiB <= 60,
      bundleAtMost80MB: image.bytes.bundle <= 80e6,
      executablesAtMost12: image.executables.length <= 12,
      bootToApiAtMost12s: median(later.map((b) => b.apiMs)) <= 12_000,
    },
  };
  console.table([
    ["bundle (compressed)", `${results.bundleMB.toFixed(1)} MB`, "≤ 80 MB"],
    ["executables in the root", String(image.executables.length), "≤ 12"],
    [
      "boot to verified root (TCG, median of 3)",
      `${results.bootUnderTcgSeconds.toVerifiedRoot} s`,
      "",
    ],
    [
      "boot to the API answering (TCG, median of 3)",
      `${results.bootUnderTcgSeconds.toApiAnswering} s`,
      "≤ 12 s",
    ],
    ["  the machine's first power-on", `${(firstPowerOn?.apiMs ?? 0) / 1000} s`, ""],
    ["agent RSS, idle, configured control plane", `${agent.rssMiB.toFixed(1)} MiB`, "≤ 60 MiB"],
    ["  the same after a reboot", `${agent.afterReboot.rssMiB.toFixed(1)} MiB`, "≤ 60 MiB"],
    ["build (packages cached)", `${results.buildSeconds} s`, ""],
  ]);
  console.log(`executables: ${image.executables.join(", ")}`);
  writeFileSync(
    join(import.meta.dirname, "image-results.json"),
    `${JSON.stringify(results, null, 2)}\n`,
  );
  console.log("written to bench/image-results.json");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
