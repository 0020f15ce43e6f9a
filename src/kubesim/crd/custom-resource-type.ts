import { field, type KubeObject } from "../api";
import { ageColumn, nameColumn } from "../resources/columns";
import { metaErrors } from "../resources/meta-validation";
import type { Column, ResourceType, Subresource } from "../resources/resource-type";
import type { CrdSpec, CrdVersion } from "./crd-resource";
import { evaluateJsonPath } from "./json-path";
import { type Schema, validateSchema } from "./schema-validator";

function printerColumn(
  column: NonNullable<CrdVersion["additionalPrinterColumns"]>[number],
): Column {
  const type = (
    ["integer", "number", "boolean", "date"].includes(column.type) ? column.type : "string"
  ) as Column["type"];
  return {
    name: column.name,
    type,
    priority: column.priority ?? 0,
    ...(column.description ? { description: column.description } : {}),
    cell: (obj) => {
      const value = evaluateJsonPath(obj, column.jsonPath);
      if (value === undefined || value === null) return null;
      return typeof value === "object"
        ? JSON.stringify(value)
        : (value as string | number | boolean);
    },
  };
}

/** Validates everything but metadata against the version's schema, pruning unknown fields in place. */
function schemaValidation(schema: Schema | undefined) {
  return (obj: KubeObject) => {
    const causes = metaErrors(obj, "subdomain");
    if (!schema) return causes;
    const { apiVersion, kind, metadata, ...rest } = obj;
    const body = { ...rest };
    const pruned = validateSchema(
      body,
      { ...schema, properties: { ...schema.properties } },
      "",
      causes,
    ) as KubeObject;
    for (const key of Object.keys(rest)) delete obj[key];
    Object.assign(obj, pruned, { apiVersion, kind, metadata });
    return causes;
  };
}

/** The ResourceType that serves one version of a CustomResourceDefinition. */
export function customResourceType(
  crdName: string,
  spec: CrdSpec,
  version: CrdVersion,
): ResourceType {
  const schema = version.schema?.openAPIV3Schema as Schema | undefined;
  const subresources: Subresource[] = [];
  if (version.subresources?.status) subresources.push("status");
  const printers = (version.additionalPrinterColumns ?? []).map(printerColumn);
  const hasAge = printers.some((c) => c.name.toLowerCase() === "age");
  return {
    group: spec.group,
    version: version.name,
    plural: spec.names.plural,
    singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
    kind: spec.names.kind,
    listKind: spec.names.listKind ?? `${spec.names.kind}List`,
    namespaced: spec.scope === "Namespaced",
    shortNames: spec.names.shortNames ?? [],
    ...(spec.names.categories ? { categories: spec.names.categories } : {}),
    subresources,
    columns: [nameColumn, ...printers, ...(hasAge ? [] : [ageColumn])],
    validate: schemaValidation(schema),
    unknownFields: (obj) => {
      if (!schema) return [];
      const { apiVersion, kind, metadata, ...rest } = obj;
      const pruned: string[] = [];
      validateSchema(rest, { ...schema, properties: { ...schema.properties } }, "", [], pruned);
      return pruned;
    },
    crd: crdName,
    ...(schema ? { schema: schema as Record<string, unknown> } : {}),
    ...(storedAs(spec, version) ? { storedAs: storedAs(spec, version) } : {}),
  };
}

/** The storage version's apiVersion, when `version` is another one. */
function storedAs(spec: CrdSpec, version: CrdVersion): string | undefined {
  const storage = spec.versions?.find((v) => v.storage);
  return storage && storage.name !== version.name ? `${spec.group}/${storage.name}` : undefined;
}

export function servedVersions(spec: CrdSpec): CrdVersion[] {
  return (spec.versions ?? []).filter((v) => v.served !== false);
}

export function isEstablished(crd: KubeObject): boolean {
  const conditions = field(crd, "status", "conditions");
  return (
    Array.isArray(conditions) &&
    conditions.some((c) => c?.type === "Established" && c?.status === "True")
  );
}
