import type { HealthResponse } from "../api/gen/keelson/machine/v1/machine_pb";
import { KeelsonError } from "../errors";

/** Asks a node for its health; throws while it cannot be reached. */
export type HealthProbe = () => Promise<HealthResponse>;

export interface WaitReadyOptions {
  timeoutMs: number;
  /** Accepts only some ready answers, such as those of a new boot. */
  accept?: (health: HealthResponse) => boolean;
  /** Told what the node is still waiting for whenever that changes. */
  onWaiting?: (waitingFor: string) => void;
  signal?: AbortSignal;
  /** How often to ask. */
  intervalMs?: number;
}

/**
 * What keeps a node from being ready, in a few words: its services that are
 * not running and healthy, with their state (or, `detailed`, with why).
 * Empty when it is ready.
 */
export function waitingFor(health: HealthResponse, detailed = false): string {
  if (health.ready) return "";
  const services = health.services
    .filter((s) => !((s.state === "running" && s.healthy) || s.state === "finished"))
    .map((s) => {
      const state = s.state === "running" ? "not healthy yet" : s.state;
      return `${s.id} (${detailed && s.message ? s.message : state})`;
    });
  return services.length > 0 ? services.join(", ") : "a power action under way";
}

/**
 * Waits until a node reports ready (and `accept` agrees), asking again
 * every interval; unreachable counts as not yet. Past the timeout it fails
 * saying what the node was still waiting for.
 */
export async function waitUntilReady(
  probe: HealthProbe,
  options: WaitReadyOptions,
): Promise<HealthResponse> {
  const deadline = Date.now() + options.timeoutMs;
  let last = "";
  for (;;) {
    options.signal?.throwIfAborted();
    const { health, waiting, why } = await probe().then(
      (health) => {
        const rejected = options.accept?.(health) === false ? "a new boot" : "";
        return {
          health,
          waiting: waitingFor(health) || rejected,
          why: waitingFor(health, true) || rejected,
        };
      },
      (error: unknown) => ({
        health: undefined,
        waiting: "its API",
        why: `its API (${KeelsonError.from(error).message})`,
      }),
    );
    if (health && !waiting) return health;
    if (waiting !== last) options.onWaiting?.(waiting);
    last = waiting;
    if (Date.now() > deadline)
      throw new KeelsonError(
        "deadlineExceeded",
        `not ready after ${Math.round(options.timeoutMs / 1000)} s; still waiting for ${why}`,
        "see why with keelctl health, keelctl events and keelctl logs SERVICE",
      );
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}
