import type { StoreEvent } from "./entry";

/**
 * A bounded history of changes, so a watch can resume from a resourceVersion
 * it saw before. Older versions answer 410 Gone, as etcd compaction does.
 */
export class EventLog {
  private readonly ring: (StoreEvent | undefined)[];
  private next = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.ring = new Array(capacity);
  }

  append(event: StoreEvent): void {
    this.ring[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** The oldest resourceVersion a watch can still resume from. */
  oldestRv(): number {
    const oldest = this.at(0);
    return oldest ? oldest.entry.rv - 1 : 0;
  }

  /** Events newer than `rv`, or undefined when history no longer reaches back that far. */
  since(rv: number): StoreEvent[] | undefined {
    if (this.size === this.capacity && rv < this.oldestRv()) return undefined;
    const out: StoreEvent[] = [];
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.at(mid)?.entry.rv ?? 0) <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.size; i++) {
      const event = this.at(i);
      if (event) out.push(event);
    }
    return out;
  }

  private at(index: number): StoreEvent | undefined {
    const start = this.size < this.capacity ? 0 : this.next;
    return this.ring[(start + index) % this.capacity];
  }
}
