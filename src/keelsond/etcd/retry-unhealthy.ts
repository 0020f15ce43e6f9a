import { setTimeout as sleep } from "node:timers/promises";
import { KeelsonError } from "../../machinery/errors";

/**
 * etcd refuses a membership change with "unhealthy cluster" until the
 * members it needs have been connected for a few seconds (strict reconfig
 * check), as after a restart or a leadership change. Such a refusal is
 * transient: try again for up to `ms`; any other error is final.
 */
export async function retryUnhealthy<T>(
  change: () => Promise<T>,
  signal: AbortSignal,
  ms = 15_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await change();
    } catch (error) {
      const transient = /unhealthy cluster/.test(KeelsonError.from(error).message);
      if (!transient || Date.now() > end || signal.aborted) throw error;
      await sleep(500, undefined, { signal }).catch(() => {});
    }
  }
}
