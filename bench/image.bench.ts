// Image benchmark (npm run bench:image): builds the metal image (Debian's
// packages cached), then boots it under QEMU with OVMF (software emulation)
// and times the boot from QEMU's start to keelson-init's verified root and to
// the agent's first word on the console. Reports the bundle's size, the
// root's executables and the build time against the targets. Prints
// figures and writes bench/image-results.json. Figures, not assertions.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildMetalImage } from "../src/provisioners/image/metal/metal-image";
import { QemuMachine } from "../src/provisioners/qemu/qemu-machine";

const dir = mkdtempSync(join(tmpdir(), "image-bench-"));
try {
  let t = Date.now();
  await buildMetalImage({ version: "0.1.0", output: join(dir, "warm") }); // fetches the packages once
  const fetchAndBuildMs = Date.now() - t;
  t = Date.now();
  const image = await buildMetalImage({ version: "0.1.0", output: join(dir, "image") });
  const buildMs = Date.now() - t;
  const boots: { rootMs: number; agentMs: number }[] = [];
  for (let i = 0; i < 3; i++) {
    const machine = new QemuMachine({ dir: mkdtempSync(join(dir, "vm-")), disk: image.disk });
    const start = Date.now();
    try {
      await machine.waitFor(/keelson-init: root \S+ mounted and verified/, 180_000);
      const rootMs = Date.now() - start;
      await machine.waitFor(/keelsond/, 60_000);
      boots.push({ rootMs, agentMs: Date.now() - start });
    } finally {
      await machine.stop();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  const results = {
    date: new Date().toISOString(),
    kernel: image.kernel,
    buildSeconds: buildMs / 1000,
    firstBuildWithDownloadsSeconds: fetchAndBuildMs / 1000,
    bundleMB: image.bytes.bundle / 1e6,
    rootMB: image.bytes.root / 1e6,
    diskMiB: image.bytes.disk / 2 ** 20,
    executables: image.executables,
    bootUnderTcgSeconds: {
      toVerifiedRoot: median(boots.map((b) => b.rootMs)) / 1000,
      toAgentStart: median(boots.map((b) => b.agentMs)) / 1000,
      runs: boots,
    },
    targets: {
      bundleAtMost80MB: image.bytes.bundle <= 80e6,
      executablesAtMost12: image.executables.length <= 12,
      // Boot to the API answering (≤ 12 s) needs the metal platform's network: not measured yet.
      bootToApiAtMost12s: "not measured: the agent does not serve on metal yet",
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
      "boot to the agent's start (TCG)",
      `${results.bootUnderTcgSeconds.toAgentStart} s`,
      "API ≤ 12 s (not yet)",
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
