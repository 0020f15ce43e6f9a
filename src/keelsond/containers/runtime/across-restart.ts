import { setTimeout as sleep } from "node:timers/promises";
import { KeelsonError } from "../../../machinery/errors";

/**
 * Runs `operation` again while containerd is unavailable (its supervisor
 * restarts it), until `deadline`: a removal begun while containerd was down
 * completes once it is back, instead of leaving the container behind.
 */
export async function acrossRestart<T>(
  operation: () => Promise<T>,
  deadline: AbortSignal,
): Promise<T> {
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      const unavailable = error instanceof KeelsonError && error.code === "unavailable";
      if (!unavailable || deadline.aborted) throw error;
      await sleep(250, undefined, { signal: deadline }).catch(() => {});
    }
  }
}
