import type { KubeObject } from "../api";
import type { ResourceType } from "../resources/resource-type";

export type IncludeObject = "None" | "Metadata" | "Object";

export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get("includeObject");
  return value === "None" || value === "Object" ? value : "Metadata";
}

function columnDefinitions(type: ResourceType) {
  return type.columns.map((c) => ({
    name: c.name,
    type: c.type,
    format: c.format ?? "",
    description: c.description ?? "",
    priority: c.priority,
  }));
}

function rowObject(obj: KubeObject, include: IncludeObject): unknown {
  if (include === "Object") return obj;
  if (include === "None") return undefined;
  return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: obj.metadata };
}

/** A meta.k8s.io/v1 Table, the server-side printing kubectl get asks for. */
export function toTable(
  type: ResourceType,
  objects: readonly KubeObject[],
  include: IncludeObject,
  listMeta: Record<string, unknown>,
): Record<string, unknown> {
  const now = Date.now();
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: listMeta,
    columnDefinitions: columnDefinitions(type),
    rows: objects.map((obj) => ({
      cells: type.columns.map((c) => c.cell(obj, now)),
      object: rowObject(obj, include),
    })),
  };
}
