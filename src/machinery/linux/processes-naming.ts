import { readdirSync, readFileSync } from "node:fs";

export interface NamedProcess {
  pid: number;
  /** The command line, arguments separated by spaces. */
  cmdline: string;
}

/**
 * Processes whose command line contains one of `needles` (a node's state
 * directory, its address), other than the caller. The fallback for finding
 * what a node left behind where cgroups cannot be used, and how tests prove
 * nothing was.
 */
export function processesNaming(needles: readonly string[]): NamedProcess[] {
  if (needles.length === 0) return [];
  const found: NamedProcess[] = [];
  for (const entry of readdirSync("/proc")) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let raw = "";
    try {
      raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    } catch {
      continue; // Gone meanwhile.
    }
    const cmdline = raw.replaceAll("\0", " ").trim();
    if (needles.some((needle) => cmdline.includes(needle))) found.push({ pid, cmdline });
  }
  return found;
}

/** SIGKILLs every process naming one of `needles`; returns how many there were. */
export function killProcessesNaming(needles: readonly string[]): number {
  const found = processesNaming(needles);
  for (const { pid } of found) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone already.
    }
  }
  return found.length;
}
