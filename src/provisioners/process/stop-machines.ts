import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Cgroup } from "../../machinery/linux/cgroup";
import { processAlive as alive } from "../../machinery/linux/process-alive";
import { killProcessesNaming } from "../../machinery/linux/processes-naming";
import { nodeCgroupPath } from "./node-state";

/**
 * Powers off process nodes: SIGTERM to each machine launcher (the agent then
 * shuts down gracefully), then, for any still up after the grace, what
 * pulling the plug does: the node's cgroup is killed as a whole, containers
 * included. Where there are no cgroups, what names the node's state
 * directory is killed instead.
 */
export async function stopMachines(stateDirs: readonly string[], graceMs = 15_000): Promise<void> {
  const pids = (await Promise.all(stateDirs.map(readPid))).filter(
    (pid): pid is number => pid !== undefined,
  );
  for (const pid of pids) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (pids.some(alive) && Date.now() < deadline) await tick();
  for (const stateDir of stateDirs) {
    const cgroup = new Cgroup(nodeCgroupPath(stateDir));
    if (!cgroup.exists()) {
      killProcessesNaming([stateDir]);
      continue;
    }
    await cgroup.kill();
    cgroup.remove();
  }
}

async function readPid(stateDir: string): Promise<number | undefined> {
  const text = await readFile(join(stateDir, "machine.pid"), "utf8").catch(() => "");
  const pid = Number.parseInt(text, 10);
  return Number.isInteger(pid) && pid > 1 ? pid : undefined;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 50));

/** Stops one background process (kubesim): SIGTERM, then SIGKILL after the grace. */
export async function stopProcess(pid: number, graceMs = 5000): Promise<void> {
  if (pid <= 1) return;
  signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await tick();
  if (alive(pid)) signal(pid, "SIGKILL");
}
