import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ovmf } from "./ovmf";

export type Accelerator = "kvm" | "tcg";

/** How long the firmware may take to speak under KVM before the probe calls KVM broken. */
const probeMs = 10_000;
let probed: Promise<{ accelerator: Accelerator; why: string }> | undefined;

/**
 * KVM when it really works, else software emulation (TCG). /dev/kvm may
 * exist where nested guests hang, so KVM is tried for real: the firmware
 * alone, under KVM, must reach its boot manager (which says so on the
 * serial port) within 10 s. Probed once per process.
 */
export function accelerator(): Promise<{ accelerator: Accelerator; why: string }> {
  probed ??= probe();
  return probed;
}

async function probe(): Promise<{ accelerator: Accelerator; why: string }> {
  if (!existsSync("/dev/kvm")) return { accelerator: "tcg", why: "no /dev/kvm" };
  const dir = mkdtempSync(join(tmpdir(), "kvm-probe-"));
  const serial = join(dir, "serial.log");
  // biome-ignore format: one QEMU option and its value per line
  const child = spawn("qemu-system-x86_64", [
    "-machine", "q35", "-accel", "kvm", "-m", "256", "-nodefaults", "-display", "none",
    "-drive", `if=pflash,format=raw,readonly=on,file=${ovmf.code}`,
    "-drive", `if=pflash,format=raw,readonly=on,file=${ovmf.vars}`,
    "-serial", `file:${serial}`, "-monitor", "none",
  ], { stdio: "ignore" });
  let failed = false;
  child.once("error", () => {
    failed = true;
  });
  try {
    const deadline = Date.now() + probeMs;
    while (Date.now() < deadline && child.exitCode === null && !failed) {
      if (readFileSync(serial, { encoding: "utf8", flag: "a+" }).includes("BdsDxe"))
        return { accelerator: "kvm", why: "KVM works" };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      accelerator: "tcg",
      why:
        child.exitCode === null && !failed
          ? `a guest under KVM did not reach its firmware's boot manager in ${probeMs / 1000} s (nested virtualisation hangs)`
          : "QEMU could not start a guest under KVM",
    };
  } finally {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  }
}
