import type { KubeObject } from "../api";
import type { Registry } from "../registry";
import { serviceAccounts } from "../resources/core/config";
import { namespaces } from "../resources/core/namespace";
import { storageKey } from "../resources/resource-type";
import { type Controller, isResource, runController } from "./controller";

function contentCount(registry: Registry, namespace: string): number {
  let count = 0;
  for (const type of registry.catalog.all()) {
    if (!type.namespaced) continue;
    for (const entry of registry.store.table(storageKey(type)).list(namespace)) {
      count++;
      if (!entry.obj.metadata.deletionTimestamp) {
        registry.delete(type, namespace, entry.name);
      }
    }
  }
  return count;
}

/** Creates the default ServiceAccount of a live namespace; empties and finalizes a terminating one. */
function reconcile(registry: Registry, name: string): void {
  const ns = registry.tryGet(namespaces, "", name);
  if (!ns) return;
  if (!ns.metadata.deletionTimestamp) {
    if (!registry.tryGet(serviceAccounts, name, "default")) {
      registry.create(serviceAccounts, name, {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: "default" },
      });
    }
    return;
  }
  if (contentCount(registry, name) > 0) return;
  registry.mutate(namespaces, "", name, (next: KubeObject) => {
    next.spec = { ...(next.spec as object), finalizers: [] };
  });
}

/** The namespace controller and the service-account controller, which both key on namespaces. */
export function startNamespaceController(registry: Registry): Controller {
  const controller = runController(
    registry,
    (name) => reconcile(registry, name),
    (event, enqueue) => {
      if (isResource(event, namespaces)) {
        if (event.type !== "DELETED") enqueue(event.entry.name);
        return;
      }
      const ns = event.entry.namespace;
      if (!ns) return;
      const terminating =
        event.type === "DELETED" && registry.tryGet(namespaces, "", ns)?.metadata.deletionTimestamp;
      const lostDefaultAccount =
        event.type === "DELETED" &&
        isResource(event, serviceAccounts) &&
        event.entry.name === "default";
      if (terminating || lostDefaultAccount) enqueue(ns);
    },
  );
  for (const entry of registry.list(namespaces).entries) controller.queue.add(entry.name);
  return controller;
}
