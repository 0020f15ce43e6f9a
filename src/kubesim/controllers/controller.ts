import type { KubeObject } from "../api";
import type { Registry } from "../registry";
import { type ResourceType, storageKey } from "../resources/resource-type";
import type { StoreEvent } from "../store";
import { WorkQueue } from "./work-queue";

export interface Controller {
  stop(): void;
}

/**
 * The shape every kubesim controller shares: a queue of object keys, fed
 * from store events, reconciled one key at a time.
 */
export function runController(
  registry: Registry,
  reconcile: (key: string) => void,
  onEvent: (event: StoreEvent, enqueue: (key: string) => void) => void,
  retryMs?: number,
): Controller & { queue: WorkQueue } {
  const queue = new WorkQueue(reconcile, retryMs);
  const unsubscribe = registry.store.subscribe((event) => onEvent(event, (key) => queue.add(key)));
  return {
    queue,
    stop() {
      unsubscribe();
      queue.stop();
    },
  };
}

export function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ""}/${obj.metadata.name ?? ""}`;
}

export function isResource(event: StoreEvent, type: ResourceType): boolean {
  return event.resource === storageKey(type);
}

/** The key of the object's controller of `kind`, when it has one. */
export function controllerKey(obj: KubeObject, kind: string): string | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.controller && r.kind === kind);
  return ref ? `${obj.metadata.namespace ?? ""}/${ref.name}` : undefined;
}
