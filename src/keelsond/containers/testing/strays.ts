import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

/**
 * Processes a test's containerd left behind: shims serving its socket (a
 * task created while containerd was being killed can end up unknown to it)
 * and anything still in the node's cgroup. Matched by the test's own unique
 * socket path and cgroup, so nothing else on the machine is touched.
 */
export function strayPids(socket: string, cgroupParent: string): number[] {
  const pids = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const args = readArgs(Number(entry));
    const at = args.indexOf("-address");
    if (at >= 0 && args[at + 1] === socket) pids.add(Number(entry));
  }
  for (const pid of cgroupProcs(join("/sys/fs/cgroup/pids", cgroupParent))) pids.add(pid);
  return [...pids];
}

export function killStrays(socket: string, cgroupParent: string): void {
  for (const pid of strayPids(socket, cgroupParent)) {
    const args = readArgs(pid);
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone already.
    }
    if (args.includes("-address")) rmSync(shimSocket(socket, args), { force: true });
  }
}

/** Where runtime v2 put the shim's own socket: /run/containerd/s/sha256(<address>/<namespace>/<id>). */
function shimSocket(socket: string, args: string[]): string {
  const arg = (name: string) => args[args.indexOf(name) + 1] ?? "";
  const key = join(socket, arg("-namespace"), arg("-id"));
  return join("/run/containerd/s", createHash("sha256").update(key).digest("hex"));
}

function readArgs(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return [];
  }
}

function cgroupProcs(dir: string): number[] {
  if (!existsSync(dir)) return [];
  const pids = readFileSync(join(dir, "cgroup.procs"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map(Number);
  for (const child of readdirSync(dir, { withFileTypes: true })) {
    if (child.isDirectory()) pids.push(...cgroupProcs(join(dir, child.name)));
  }
  return pids;
}
