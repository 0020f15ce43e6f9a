import type { V1Node } from "@kubernetes/client-node";

/**
 * The selected Nodes as the engine last saw them, kept from its watch and
 * from the answers to its own writes, so a pass reads memory instead of
 * listing a thousand Nodes again. Of two copies of a Node the one with the
 * higher resourceVersion wins (as client-go's mutation cache does: the API
 * server's versions are etcd revisions, increasing integers), so a watch
 * event that lags behind a write never puts an older state back.
 */
export class NodeCache {
  private readonly nodes = new Map<string, V1Node>();
  private fresh = false;
  private listedAt = 0;

  /** `maxAgeMs`: how long a list is trusted, as informers resync: a watch can stall without being cut. */
  constructor(
    private readonly maxAgeMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * False until a full list was read, again after the watch was cut (events
   * may be missed), and once the last list is older than maxAgeMs.
   */
  get synced(): boolean {
    return this.fresh && this.now() - this.listedAt < this.maxAgeMs;
  }

  /** A full list replaces everything, except copies newer than it. */
  replace(items: readonly V1Node[]): void {
    const before = new Map(this.nodes);
    this.nodes.clear();
    for (const node of items) {
      const name = node.metadata?.name ?? "";
      const kept = before.get(name);
      this.nodes.set(name, kept && isNewer(kept, node) ? kept : node);
    }
    this.fresh = true;
    this.listedAt = this.now();
  }

  update(node: V1Node): void {
    const name = node.metadata?.name ?? "";
    const kept = this.nodes.get(name);
    if (!kept || !isNewer(kept, node)) this.nodes.set(name, node);
  }

  delete(name: string): void {
    this.nodes.delete(name);
  }

  /** The watch was cut: the next pass lists again. */
  invalidate(): void {
    this.fresh = false;
  }

  list(): V1Node[] {
    return [...this.nodes.values()];
  }
}

function isNewer(a: V1Node, b: V1Node): boolean {
  const va = Number(a.metadata?.resourceVersion);
  const vb = Number(b.metadata?.resourceVersion);
  return Number.isFinite(va) && Number.isFinite(vb) && va > vb;
}
