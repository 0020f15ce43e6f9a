import { Cgroup } from "../../machinery/linux/cgroup";

/**
 * A process node's launcher is its machine: when it is gone (killed, say),
 * the machine lost power, and nothing of this boot may go on running. The
 * agent notices it is orphaned and ends its node's cgroup, itself included.
 */
export function watchMachine(nodeCgroup: string | undefined, intervalMs = 500): void {
  const launcher = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === launcher) return;
    clearInterval(timer);
    console.error("keelsond: the machine launcher is gone: powering off");
    if (nodeCgroup) {
      try {
        void new Cgroup(nodeCgroup).kill();
      } catch {
        // No cgroup after all: exiting below is all that is left.
      }
    }
    process.exit(1);
  }, intervalMs);
  timer.unref();
}
