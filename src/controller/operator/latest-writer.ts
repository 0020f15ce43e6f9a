import { setTimeout as delay } from "node:timers/promises";

/**
 * Writes the latest of a stream of values: one write at a time, at most one
 * per interval. A burst collapses to its last value and a write never lands
 * after a newer one, so a plan's status (a thousand nodes long, changing at
 * every pass) costs the API server a write a second, not one per change.
 */
export class LatestWriter<T> {
  private pending: { value: T } | undefined;
  private running: Promise<void> | undefined;
  private lastAt = 0;
  private closed = false;

  constructor(
    private readonly write: (value: T) => Promise<void>,
    private readonly intervalMs: number,
  ) {}

  offer(value: T): void {
    if (this.closed) return;
    this.pending = { value };
    this.running ??= this.drain();
  }

  /** Resolves once everything offered so far is written (or failed: the next value will try again). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drops what is not written yet and takes nothing more: a newer run writes from now on. */
  close(): void {
    this.closed = true;
    this.pending = undefined;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const wait = this.lastAt + this.intervalMs - Date.now();
      if (wait > 0) await delay(wait);
      const next = this.pending;
      this.pending = undefined;
      if (!next) break;
      this.lastAt = Date.now();
      await this.write(next.value).catch(() => undefined);
    }
    this.running = undefined;
  }
}
