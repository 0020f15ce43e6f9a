import type { KubeObject } from "../api";
import type { Registry } from "../registry";
import { pods } from "../resources/core/pod";
import { isPodReady, isTerminal } from "../resources/pod-helpers";
import { storageKey } from "../resources/resource-type";

export interface PodCounts {
  /** Controlled pods neither terminating nor finished. */
  active: number;
  /** Active pods that are ready. */
  ready: number;
}

const none: PodCounts = { active: 0, ready: 0 };

/** The controller uids the pod counts towards, when active, and whether it is ready. */
function contribution(pod: KubeObject | undefined): { uids: string[]; ready: boolean } | undefined {
  if (!pod || pod.metadata.deletionTimestamp || isTerminal(pod)) return undefined;
  const uids = (pod.metadata.ownerReferences ?? []).filter((r) => r.controller).map((r) => r.uid);
  return uids.length > 0 ? { uids, ready: isPodReady(pod) } : undefined;
}

/**
 * Active and ready pods per controller uid, kept up to date from pod events,
 * so reconciling a ReplicaSet of a thousand pods costs O(1) instead of a pass
 * over its pods on every change of one of them.
 */
export class OwnedPodCounts {
  private readonly counts = new Map<string, PodCounts>();
  private readonly unsubscribe: () => void;

  constructor(registry: Registry) {
    const key = storageKey(pods);
    for (const entry of registry.store.table(key).all()) this.apply(entry.obj, 1);
    this.unsubscribe = registry.store.subscribe((event) => {
      if (event.resource !== key) return;
      this.apply(event.previous?.obj, -1);
      if (event.type !== "DELETED") this.apply(event.entry.obj, 1);
    });
  }

  of(uid: string): PodCounts {
    return this.counts.get(uid) ?? none;
  }

  close(): void {
    this.unsubscribe();
  }

  private apply(pod: KubeObject | undefined, sign: 1 | -1): void {
    const change = contribution(pod);
    if (!change) return;
    for (const uid of new Set(change.uids)) {
      const { active, ready } = this.of(uid);
      const next = { active: active + sign, ready: ready + (change.ready ? sign : 0) };
      if (next.active <= 0) this.counts.delete(uid);
      else this.counts.set(uid, next);
    }
  }
}
