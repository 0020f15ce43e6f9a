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

  /** False until a full list was read, and again after the watch was cut (events may be missed). */
  get synced(): boolean {
    return this.fresh;
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
