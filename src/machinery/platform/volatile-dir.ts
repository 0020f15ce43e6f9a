import { join } from "node:path";

/**
 * The part of a node's state that a reboot clears, as /run (a tmpfs) is on
 * a real machine: the container runtime's task state and sockets, runc's
 * state. A process node's launcher empties it at every power cycle, so a
 * boot never meets what an earlier one left half-done.
 */
export function volatileDir(stateDir: string): string {
  return join(stateDir, "run");
}
