import type { KubeObject } from "../api";
import type { Registry } from "../registry";
import type { ResourceType } from "../resources/resource-type";
import { storageKey } from "../resources/resource-type";
import type { StoreEvent } from "../store";
import type { Controller } from "./controller";
import { WorkQueue } from "./work-queue";

interface Dependent {
  type: ResourceType;
  obj: KubeObject;
}

function dependentsOf(registry: Registry, uid: string): Dependent[] {
  const found: Dependent[] = [];
  for (const type of registry.catalog.all()) {
    for (const entry of registry.store.table(storageKey(type)).byIndex("owner", uid))
      found.push({ type, obj: entry.obj });
  }
  return found;
}

function ownerExists(registry: Registry, dependent: Dependent, uid: string): boolean {
  const ref = dependent.obj.metadata.ownerReferences?.find((r) => r.uid === uid);
  if (!ref) return false;
  const type = registry.catalog.byKind(ref.apiVersion, ref.kind);
  if (!type) return false;
  const owner = registry.tryGet(type, dependent.obj.metadata.namespace ?? "", ref.name);
  return owner?.metadata.uid === uid;
}

function removeFinalizer(
  registry: Registry,
  type: ResourceType,
  obj: KubeObject,
  finalizer: string,
): void {
  registry.mutate(type, obj.metadata.namespace ?? "", obj.metadata.name ?? "", (next) => {
    next.metadata.finalizers = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  });
}

function dropOwnerRef(registry: Registry, dep: Dependent, uid: string): void {
  registry.mutate(
    dep.type,
    dep.obj.metadata.namespace ?? "",
    dep.obj.metadata.name ?? "",
    (next) => {
      next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter(
        (r) => r.uid !== uid,
      );
    },
  );
}

/** Handles one owner, identified as "resourceKey|namespace|name|uid". */
function collect(registry: Registry, key: string): void {
  const [resource = "", namespace = "", name = "", uid = ""] = key.split("|");
  const type = registry.catalog.byKey(resource);
  const owner = type ? registry.tryGet(type, namespace, name) : undefined;
  const live = owner?.metadata.uid === uid ? owner : undefined;
  const dependents = dependentsOf(registry, uid);
  if (!live) {
    // Background: the owner is gone; dependents with no other live owner follow it.
    for (const dep of dependents) {
      const others = (dep.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      if (others.some((r) => ownerExists(registry, dep, r.uid))) dropOwnerRef(registry, dep, uid);
      else if (!dep.obj.metadata.deletionTimestamp)
        registry.delete(dep.type, dep.obj.metadata.namespace ?? "", dep.obj.metadata.name ?? "");
    }
    return;
  }
  const finalizers = live.metadata.finalizers ?? [];
  if (!live.metadata.deletionTimestamp || !type) return;
  if (finalizers.includes("orphan")) {
    for (const dep of dependents) dropOwnerRef(registry, dep, uid);
    removeFinalizer(registry, type, live, "orphan");
  } else if (finalizers.includes("foregroundDeletion")) {
    for (const dep of dependents) {
      if (!dep.obj.metadata.deletionTimestamp)
        registry.delete(dep.type, dep.obj.metadata.namespace ?? "", dep.obj.metadata.name ?? "", {
          propagationPolicy: "Foreground",
        });
    }
    const blocking = dependentsOf(registry, uid).filter((d) =>
      d.obj.metadata.ownerReferences?.some((r) => r.uid === uid && r.blockOwnerDeletion),
    );
    if (blocking.length === 0) removeFinalizer(registry, type, live, "foregroundDeletion");
  }
}

function keyFor(event: StoreEvent): string | undefined {
  const meta = event.entry.obj.metadata;
  const relevant =
    event.type === "DELETED" ||
    (meta.deletionTimestamp &&
      (meta.finalizers ?? []).some((f) => f === "orphan" || f === "foregroundDeletion"));
  return relevant
    ? `${event.resource}|${meta.namespace ?? ""}|${meta.name}|${meta.uid}`
    : undefined;
}

/**
 * The garbage collector: deletes dependents whose owners are gone
 * (background), orphans them (orphan finalizer) or deletes them before the
 * owner (foregroundDeletion finalizer).
 */
export function startGarbageCollector(registry: Registry): Controller {
  const queue = new WorkQueue((key) => collect(registry, key));
  const owners = new Map<string, string>();
  const unsubscribe = registry.store.subscribe((event) => {
    const key = keyFor(event);
    if (key) queue.add(key);
    // A dependent that goes away may unblock a foreground deletion of its owner.
    if (event.type === "DELETED") {
      for (const ref of event.entry.obj.metadata.ownerReferences ?? []) {
        const owner = owners.get(ref.uid);
        if (owner) queue.add(owner);
      }
    }
    if (key && event.type !== "DELETED") owners.set(event.entry.obj.metadata.uid ?? "", key);
    if (event.type === "DELETED") owners.delete(event.entry.obj.metadata.uid ?? "");
  });
  return {
    stop() {
      unsubscribe();
      queue.stop();
    },
  };
}
