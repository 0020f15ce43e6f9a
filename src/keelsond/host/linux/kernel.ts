import { machine, release } from "node:os";
import { KeelsonError } from "../../../machinery/errors";
import type { KernelInfo } from "../host";
import { parseProcStat } from "../parse/parse-proc-stat";
import { parseUptime } from "../parse/parse-uptime";
import { readText } from "./read-proc";

export async function readKernel(): Promise<KernelInfo> {
  const [bootTime, uptime] = await Promise.all([readBootTime(), readText("/proc/uptime")]);
  return {
    release: release(),
    // uname -m spelling ("x86_64", "aarch64"), not Node's "x64".
    arch: machine(),
    bootTime,
    uptimeSeconds: parseUptime(uptime).uptimeSeconds,
  };
}

/** btime is whole seconds, stable across calls, unlike now minus uptime. */
export async function readBootTime(): Promise<Date> {
  const { bootTimeSeconds } = parseProcStat(await readText("/proc/stat"));
  if (bootTimeSeconds === undefined) {
    throw new KeelsonError("internal", "/proc/stat has no btime line");
  }
  return new Date(bootTimeSeconds * 1000);
}
