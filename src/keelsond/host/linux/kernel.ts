import { machine, release, uptime } from "node:os";
import { KeelsonError } from "../../../machinery/errors";
import { parseProcStat } from "../../../machinery/linux/parse/parse-proc-stat";
import type { KernelInfo } from "../host";
import { readText } from "./read-proc";

/**
 * Version and Health ask for this on every call, so only what changes is read
 * per call: release and arch are fixed for the life of the kernel and boot
 * time for the life of a boot, which outlives any agent process.
 */
export async function readKernel(): Promise<KernelInfo> {
  return {
    release: kernelRelease,
    arch: kernelArch,
    bootTime: await readBootTime(),
  };
}

/**
 * Seconds since boot. libuv reads /proc/uptime synchronously: cheaper than
 * four thread-pool round trips for an fs/promises read, but still three
 * syscalls, so only Health asks for it.
 */
export function readUptimeSeconds(): number {
  return uptime();
}

const kernelRelease = release();
// uname -m spelling ("x86_64", "aarch64"), not Node's "x64".
const kernelArch = machine();

let bootTimeMs: Promise<number> | undefined;

/**
 * btime is whole seconds, stable across calls, unlike now minus uptime; read
 * once per process. A failed read is not cached, so the next call retries.
 */
export async function readBootTime(): Promise<Date> {
  bootTimeMs ??= readBtimeMs().catch((error: unknown) => {
    bootTimeMs = undefined;
    throw error;
  });
  // A fresh Date each time: callers may mutate what they get.
  return new Date(await bootTimeMs);
}

async function readBtimeMs(): Promise<number> {
  const { bootTimeSeconds } = parseProcStat(await readText("/proc/stat"));
  if (bootTimeSeconds === undefined) {
    throw new KeelsonError("internal", "/proc/stat has no btime line");
  }
  return bootTimeSeconds * 1000;
}
