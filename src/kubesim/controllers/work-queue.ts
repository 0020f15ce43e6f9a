import { StatusError } from "../api";

/**
 * How long keys collect before a drain. Under a burst (hundreds of pod changes
 * a second, each waking its ReplicaSet, Deployment and budget) a drain per
 * event-loop turn reconciles, and writes the status of, the same few objects
 * over and over; a few milliseconds turns that into one reconcile each.
 */
const batchMs = 5;

/**
 * A keyed, de-duplicating queue like client-go's workqueue: a key added many
 * times before it is processed is processed once, a few milliseconds later.
 * A reconcile that hits a conflict is retried shortly after.
 */
export class WorkQueue {
  private readonly dirty = new Set<string>();
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private scheduled = false;
  private stopped = false;

  constructor(
    private readonly reconcile: (key: string) => void,
    private readonly retryMs = 20,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.dirty.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.drain(), batchMs);
  }

  addAfter(key: string, ms: number): void {
    if (this.stopped || this.delayed.has(key)) return;
    const timer = setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.delayed.set(key, timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.delayed.values()) clearTimeout(timer);
    this.delayed.clear();
    this.dirty.clear();
  }

  private drain(): void {
    this.scheduled = false;
    const keys = [...this.dirty];
    this.dirty.clear();
    for (const key of keys) {
      if (this.stopped) return;
      try {
        this.reconcile(key);
      } catch (error) {
        // Conflicts and objects vanishing mid-reconcile are normal under load: try again.
        const status = StatusError.from(error);
        if (status.code === 409 || status.code === 404) this.addAfter(key, this.retryMs);
        else console.error(`kubesim: reconcile ${key} failed: ${status.message}`);
      }
    }
  }
}

export function splitKey(key: string): [string, string] {
  const slash = key.indexOf("/");
  return slash < 0 ? ["", key] : [key.slice(0, slash), key.slice(slash + 1)];
}
