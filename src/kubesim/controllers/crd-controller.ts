import { field, type KubeObject } from "../api";
import { crdSpec, customResourceDefinitions } from "../crd/crd-resource";
import { customResourceType, isEstablished, servedVersions } from "../crd/custom-resource-type";
import type { Registry } from "../registry";
import { storageKey } from "../resources/resource-type";
import { type Controller, isResource, runController } from "./controller";

/** Serves (or stops serving) the resources of a CRD. Runs synchronously, so a created CRD is usable at once. */
function serve(registry: Registry, crd: KubeObject, deleted: boolean): void {
  const name = crd.metadata.name ?? "";
  const removed = registry.catalog.removeCrd(name);
  if (deleted) {
    for (const type of removed) registry.store.dropResource(storageKey(type));
    return;
  }
  const spec = crdSpec(crd);
  for (const version of servedVersions(spec))
    registry.catalog.add(customResourceType(name, spec, version));
}

function establish(registry: Registry, name: string): void {
  const crd = registry.tryGet(customResourceDefinitions, "", name);
  if (!crd || isEstablished(crd)) return;
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const spec = crdSpec(crd);
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: "True",
    lastTransitionTime: now,
    reason,
    message,
  });
  registry.mutate(
    customResourceDefinitions,
    "",
    name,
    (next) => {
      next.status = {
        conditions: [
          condition("NamesAccepted", "NoConflicts", "no conflicts found"),
          condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
        ],
        acceptedNames: spec.names,
        storedVersions: spec.versions.filter((v) => v.storage).map((v) => v.name),
      };
    },
    { subresource: "status" },
  );
}

/** The apiextensions controllers: serving custom resources and reporting CRDs Established. */
export function startCrdController(registry: Registry): Controller {
  return runController(
    registry,
    (name) => establish(registry, name),
    (event, enqueue) => {
      if (!isResource(event, customResourceDefinitions)) return;
      const changed =
        JSON.stringify(field(event.entry.obj, "spec")) !==
        JSON.stringify(field(event.previous?.obj, "spec"));
      if (event.type === "DELETED" || changed)
        serve(registry, event.entry.obj, event.type === "DELETED");
      if (event.type !== "DELETED") enqueue(event.entry.name);
    },
  );
}
