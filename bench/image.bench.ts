// Image benchmark (npm run bench:image): builds the metal image (Debian's
// packages cached), then boots it under QEMU with OVMF (software emulation)
// and times the boot from QEMU's start to keelson-init's verified root and to
// the agent's API answering Version (maintenance mode, through the port QEMU
// forwards to a loopback address). Reports the bundle's size, the
// root's executables and the build time against the targets. Prints
// figures and writes bench/image-results.json. Figures, not assertions.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectMaintenance } from "../src/machinery/client";
import { allocateLoopbackSubnet } from "../src/machinery/platform/loopback-subnet";
import { buildMetalImage } from "../src/provisioners/image/metal/metal-image";
import { accelerator } from "../src/provisioners/qemu/accelerator";
import { QemuMachine, userNetwork } from "../src/provisioners/qemu/qemu-machine";

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

const dir = mkdtempSync(join(tmpdir(), "image-bench-"));
try {
  let t = Date.now();
  await buildMetalImage({ version: "0.1.0", output: join(dir, "warm") }); // fetches the packages once
  const fetchAndBuildMs = Date.now() - t;
  t = Date.now();
  const image = await buildMetalImage({ version: "0.1.0", output: join(dir, "image") });
  const buildMs = Date.now() - t;
  const accel = await accelerator();
  console.log(`QEMU accelerator: ${accel.accelerator} (${accel.why})`);
  const boots: { rootMs: number; apiMs: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const subnet = await allocateLoopbackSubnet({ hosts: [1], ports: [50000], owner: dir });
    const api = `${subnet.address(1)}:50000`;
    const machine = new QemuMachine({
      dir: mkdtempSync(join(dir, "vm-")),
      disk: image.disk,
      accelerator: accel.accelerator,
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
      await answered(api, token, start + 180_000);
      boots.push({ rootMs, apiMs: Date.now() - start });
    } finally {
      await machine.stop();
    }
  }
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
      toVerifiedRoot: median(boots.map((b) => b.rootMs)) / 1000,
      toApiAnswering: median(boots.map((b) => b.apiMs)) / 1000,
      runs: boots,
    },
    targets: {
      bundleAtMost80MB: image.bytes.bundle <= 80e6,
      executablesAtMost12: image.executables.length <= 12,
      bootToApiAtMost12s: median(boots.map((b) => b.apiMs)) <= 12_000,
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
