import type { Window } from "../plan/plan-schema";
import { nextOpening } from "./windows";

export interface ForecastInput {
  now: number;
  /** Control planes still to go: they go first, one at a time. */
  controlPlanes: number;
  /** Other nodes still to go. */
  workers: number;
  /** Nodes out of service now for this plan: each is taken as half done. */
  inFlight: number;
  /** How many nodes may be out at once for this plan. */
  parallel: number;
  /** One node's time out of service: drain, reboot, verify, soak. */
  nodeMs: number;
  /** The canary is still to go alone, soaking this long before the rest start. */
  canarySoakMs?: number;
  /** Nodes start only inside these (none: any time). */
  windows: readonly Window[];
}

/**
 * When the plan should finish, by playing the schedule forward: control
 * planes one after another, then the rest `parallel` at a time, each node
 * starting only inside a window (one under way finishes). Undefined when a
 * node could never start (no window opens within a week).
 */
export function forecastFinish(input: ForecastInput): number | undefined {
  const { now, nodeMs } = input;
  const startAt = (t: number) => nextOpening(input.windows, t);
  let free = Array.from({ length: Math.max(1, input.parallel) }, (_, i) =>
    i < input.inFlight ? now + nodeMs / 2 : now,
  );
  let sequential = Math.max(...free);
  let controlPlanes = input.controlPlanes;
  let workers = input.workers;
  // The canary is whichever node goes first, alone, and soaks before anything else starts.
  if (input.canarySoakMs !== undefined && controlPlanes + workers > 0) {
    const start = startAt(sequential);
    if (start === undefined) return undefined;
    sequential = start + nodeMs + input.canarySoakMs;
    if (controlPlanes > 0) controlPlanes--;
    else workers--;
  }
  for (; controlPlanes > 0; controlPlanes--) {
    const start = startAt(sequential);
    if (start === undefined) return undefined;
    sequential = start + nodeMs;
  }
  free = free.map((t) => Math.max(t, sequential));
  for (; workers > 0; workers--) {
    const slot = free.indexOf(Math.min(...free));
    const start = startAt(free[slot] ?? now);
    if (start === undefined) return undefined;
    free[slot] = start + nodeMs;
  }
  return Math.max(sequential, ...free);
}
