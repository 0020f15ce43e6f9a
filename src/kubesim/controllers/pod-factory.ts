import { field, type JsonObject, type KubeObject, ownerReferenceTo, sameJson } from "../api";
import type { Registry } from "../registry";
import { pods } from "../resources/core/pod";
import { storageKey } from "../resources/resource-type";

/** A pod from a controller's template, owned by the controller (controller.GetPodFromTemplate). */
export function podFromTemplate(
  owner: KubeObject,
  name: { name?: string; generateName?: string },
  extra: JsonObject = {},
): KubeObject {
  const template = (field(owner, "spec", "template") ?? {}) as {
    metadata?: JsonObject;
    spec?: JsonObject;
  };
  const meta = template.metadata ?? {};
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      ...name,
      namespace: owner.metadata.namespace,
      labels: {
        ...((meta.labels as Record<string, string>) ?? {}),
        ...((extra.labels as Record<string, string>) ?? {}),
      },
      annotations: { ...((meta.annotations as Record<string, string>) ?? {}) },
      ownerReferences: [ownerReferenceTo(owner)],
    },
    spec: { ...structuredClone(template.spec ?? {}), ...((extra.spec as JsonObject) ?? {}) },
  };
}

/** Pods whose controller is `owner`, excluding those already terminating. */
export function ownedPods(
  registry: Registry,
  owner: KubeObject,
  includeTerminating = false,
): KubeObject[] {
  const uid = owner.metadata.uid ?? "";
  return registry.store
    .table(storageKey(pods))
    .byIndex("owner", uid)
    .map((e) => e.obj)
    .filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller))
    .filter((p) => includeTerminating || (!p.metadata.deletionTimestamp && !isFinished(p)));
}

function isFinished(pod: KubeObject): boolean {
  const phase = field(pod, "status", "phase");
  return phase === "Succeeded" || phase === "Failed";
}

/** Writes status through the status subresource only when it changed. */
export function writeStatus(registry: Registry, obj: KubeObject, status: JsonObject): void {
  const type = registry.catalog.byKind(obj.apiVersion, obj.kind);
  if (!type) return;
  const merged = { ...((obj.status as JsonObject) ?? {}), ...status };
  if (sameJson(merged, obj.status ?? {})) return;
  registry.mutate(
    type,
    obj.metadata.namespace ?? "",
    obj.metadata.name ?? "",
    (next) => {
      next.status = { ...((next.status as JsonObject) ?? {}), ...status };
    },
    { subresource: "status" },
  );
}
