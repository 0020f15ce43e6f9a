import type { KubeObject } from "../api";
import type { Registry } from "../registry";
import { nodes } from "../resources/core/node";
import { podFitsNode } from "./node-fit";
import type { NodeUsage } from "./node-usage";
import { allocatable, type Resources } from "./resource-usage";

export interface Candidate {
  node: KubeObject;
  used: Resources;
  capacity: Resources;
}

/** Beyond this many placements (DaemonSet pods each pin one node) the cache starts over. */
const maxPlacements = 64;

/**
 * The nodes that pass every filter but resources, per placement (node
 * selector, affinity, tolerations). The pods of a workload share one
 * placement, so at a thousand nodes a scheduling pass must not re-check every
 * node for every pod. The scheduler invalidates it when a node changes in a
 * way that matters (not on heartbeats).
 */
export class FeasibleNodes {
  private all: Candidate[] | undefined;
  private readonly byPlacement = new Map<string, Candidate[]>();

  constructor(
    private readonly registry: Registry,
    private readonly usage: NodeUsage,
  ) {}

  invalidate(): void {
    this.all = undefined;
    this.byPlacement.clear();
  }

  /** Every node, with what its pods use now; call at the start of a pass. */
  refresh(): Candidate[] {
    this.all ??= this.registry.list(nodes).entries.map(({ obj: node }) => ({
      node,
      used: this.usage.of(""),
      capacity: allocatable(node),
    }));
    for (const c of this.all) c.used = this.usage.of(c.node.metadata.name ?? "");
    return this.all;
  }

  for(pod: KubeObject): Candidate[] {
    const spec = (pod.spec ?? {}) as Record<string, unknown>;
    const key = JSON.stringify([spec.nodeSelector, spec.affinity, spec.tolerations]);
    let found = this.byPlacement.get(key);
    if (!found) {
      if (this.byPlacement.size >= maxPlacements) this.byPlacement.clear();
      found = (this.all ?? this.refresh()).filter((c) => podFitsNode(pod, c.node));
      this.byPlacement.set(key, found);
    }
    return found;
  }
}
