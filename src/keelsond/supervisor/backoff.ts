/** Restart delay: doubles from 100 ms up to 30 s; a run that lasted 10 s resets it. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly firstMs = 100,
    private readonly maxMs = 30_000,
    private readonly resetAfterMs = 10_000,
  ) {}

  next(ranForMs: number): number {
    if (ranForMs >= this.resetAfterMs) this.attempt = 0;
    const delay = Math.min(this.maxMs, this.firstMs * 2 ** this.attempt);
    this.attempt++;
    return delay;
  }
}
