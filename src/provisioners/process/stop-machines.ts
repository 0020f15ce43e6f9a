import { readdir, readFile } from "node:fs/promises";

import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Powers off process nodes: SIGTERM to each machine launcher (the agent then
 * shuts down gracefully), SIGKILL to the group of any still up after the grace.
 */
export async function stopMachines(stateDirs: readonly string[], graceMs = 15_000): Promise<void> {
  const pids = (await Promise.all(stateDirs.map(readPid))).filter(
    (pid): pid is number => pid !== undefined,
  );
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await sleep(50);
  for (const pid of pids.filter(alive)) signal(-pid, "SIGKILL");
  await killStragglers(stateDirs);
}

/**
 * What power-off means for a process node: nothing of it may outlive it.
 * Services run in process groups of their own (containerd, etcd), so a killed
 * agent can leave them behind; every one names its node's state directory on
 * its command line, which is how they are found.
 */
async function killStragglers(stateDirs: readonly string[]): Promise<void> {
  if (stateDirs.length === 0) return;
  const entries = await readdir("/proc").catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (stateDirs.some((dir) => cmdline.includes(dir))) signal(pid, "SIGKILL");
  }
}

async function readPid(stateDir: string): Promise<number | undefined> {
  const text = await readFile(join(stateDir, "machine.pid"), "utf8").catch(() => "");
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Stops one background process (kubesim): SIGTERM, then SIGKILL after the grace. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (pid <= 1) return;
  signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) signal(pid, "SIGKILL");
}
