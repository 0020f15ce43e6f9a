import { childObject, field, type JsonObject, type KubeObject, type StatusCause } from "../api";
import { nameColumn } from "../resources/columns";
import { invalidValue, metaErrors, requiredValue } from "../resources/meta-validation";
import type { ResourceType } from "../resources/resource-type";

export interface CrdVersion {
  name: string;
  served?: boolean;
  storage?: boolean;
  schema?: { openAPIV3Schema?: JsonObject };
  subresources?: { status?: JsonObject; scale?: JsonObject };
  additionalPrinterColumns?: {
    name: string;
    type: string;
    jsonPath: string;
    priority?: number;
    description?: string;
    format?: string;
  }[];
}

export interface CrdSpec {
  group: string;
  scope: "Namespaced" | "Cluster";
  names: {
    plural: string;
    singular?: string;
    kind: string;
    listKind?: string;
    shortNames?: string[];
    categories?: string[];
  };
  versions: CrdVersion[];
}

function crdErrors(obj: KubeObject): StatusCause[] {
  const causes = metaErrors(obj, "subdomain");
  const spec = obj.spec as Partial<CrdSpec> | undefined;
  if (!spec?.group) causes.push(requiredValue("spec.group"));
  if (!spec?.names?.plural) causes.push(requiredValue("spec.names.plural"));
  if (!spec?.names?.kind) causes.push(requiredValue("spec.names.kind"));
  if (spec?.scope !== "Namespaced" && spec?.scope !== "Cluster") {
    causes.push({
      reason: "FieldValueNotSupported",
      message: `Unsupported value: ${JSON.stringify(spec?.scope)}: supported values: "Cluster", "Namespaced"`,
      field: "spec.scope",
    });
  }
  if (
    spec?.group &&
    spec.names?.plural &&
    obj.metadata.name !== `${spec.names.plural}.${spec.group}`
  ) {
    causes.push(
      invalidValue("metadata.name", obj.metadata.name, 'must be spec.names.plural+"."+spec.group'),
    );
  }
  const versions = Array.isArray(spec?.versions) ? spec.versions : [];
  if (versions.length === 0) causes.push(requiredValue("spec.versions"));
  else if (versions.filter((v) => v.storage).length !== 1) {
    causes.push(
      invalidValue(
        "spec.versions",
        versions.map((v) => v.name),
        "must have exactly one version marked as storage version",
      ),
    );
  }
  return causes;
}

export const customResourceDefinitions: ResourceType = {
  group: "apiextensions.k8s.io",
  version: "v1",
  plural: "customresourcedefinitions",
  singular: "customresourcedefinition",
  kind: "CustomResourceDefinition",
  listKind: "CustomResourceDefinitionList",
  namespaced: false,
  shortNames: ["crd", "crds"],
  categories: ["api-extensions"],
  subresources: ["status"],
  columns: [
    nameColumn,
    {
      name: "Created At",
      type: "date",
      priority: 0,
      cell: (o) => o.metadata.creationTimestamp ?? "",
    },
  ],
  defaults(obj) {
    const spec = childObject(obj as JsonObject, "spec") as JsonObject;
    const names = childObject(spec as JsonObject, "names") as JsonObject;
    if (typeof names.kind === "string") {
      names.singular ??= names.kind.toLowerCase();
      names.listKind ??= `${names.kind}List`;
    }
    obj.status ??= {};
  },
  validate: crdErrors,
};

export function crdSpec(crd: KubeObject): CrdSpec {
  return field(crd, "spec") as CrdSpec;
}
