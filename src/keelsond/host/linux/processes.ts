import { readdir } from "node:fs/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { ProcessSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { parseCmdline } from "../../../machinery/linux/parse/parse-cmdline";
import { parsePidStat } from "../../../machinery/linux/parse/parse-pid-stat";
import { parseResidentBytes } from "../../../machinery/linux/parse/parse-pid-status";
import { USER_HZ } from "./clock-ticks";
import { mapLimited } from "./map-limited";
import { isGone, readText } from "./read-proc";

type Process = MessageInitShape<typeof ProcessSchema>;

export async function readProcesses(): Promise<Process[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  pids.sort((a, b) => Number(a) - Number(b));
  const processes = await mapLimited(pids, 32, readProcess);
  return processes.filter((p) => p !== undefined);
}

/** Undefined when the process exited between listing /proc and reading it. */
export async function readProcess(pid: string): Promise<Process | undefined> {
  let texts: string[];
  try {
    texts = await Promise.all(
      ["stat", "status", "cmdline"].map((file) => readText(`/proc/${pid}/${file}`)),
    );
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
  const [stat, status, cmdline] = texts as [string, string, string];
  const parsed = parsePidStat(stat);
  const args = parseCmdline(cmdline);
  return {
    pid: parsed.pid,
    ppid: parsed.ppid,
    name: parsed.comm,
    state: parsed.state,
    threads: parsed.threads,
    cpuSeconds: (parsed.utime + parsed.stime) / USER_HZ,
    residentBytes: parseResidentBytes(status),
    virtualBytes: parsed.virtualBytes,
    // As `ps -o command` shows it: kernel threads, which have no argv, in brackets.
    command: args.length > 0 ? args.join(" ") : `[${parsed.comm}]`,
    args,
  };
}
