import { setTimeout as sleep } from "node:timers/promises";

/** A poll interval that something can cut short (bootstrap wakes a waiting member at once). */
export class Wakeup {
  private waiters = new Set<() => void>();

  async sleep(ms: number, signal: AbortSignal): Promise<void> {
    const woken = new AbortController();
    const wake = () => woken.abort();
    this.waiters.add(wake);
    try {
      await sleep(ms, undefined, { signal: AbortSignal.any([signal, woken.signal]) });
    } catch {
      // Woken, or the runner stopped: the caller looks at its signal.
    } finally {
      this.waiters.delete(wake);
    }
  }

  wake(): void {
    for (const wake of this.waiters) wake();
  }
}
