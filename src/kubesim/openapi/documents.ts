import type { Catalog, GroupVersion } from "../resources/catalog";
import type { ResourceType } from "../resources/resource-type";
import v3Vendored from "./vendor/openapi-v3-schemas.json" with { type: "json" };
import v2Vendored from "./vendor/swagger-definitions.json" with { type: "json" };

type Schema = Record<string, unknown>;
type Gvk = { group: string; version: string; kind: string };

const v2Definitions = v2Vendored.definitions as unknown as Record<string, Schema>;
const v3Schemas = v3Vendored.components.schemas as unknown as Record<string, Schema>;
const info = { title: "Kubernetes (kubesim)", version: "v1.32.0" };

/**
 * OpenAPI v2 (`/openapi/v2`): Kubernetes' definitions of the built-in kinds
 * plus one per custom resource version, from its CRD's schema. kubectl 1.20
 * validates and explains with it (as protobuf, see gnostic.ts).
 */
export function openApiV2(catalog: Catalog) {
  const definitions: Record<string, Schema> = { ...v2Definitions };
  for (const type of catalog.all()) {
    const schema = customSchema(type, "#/definitions/");
    if (schema) definitions[definitionName(type)] = schema;
  }
  return { swagger: "2.0", info, paths: {}, definitions };
}

/** `/openapi/v3`: where each group-version's document is. */
export function openApiV3Root(catalog: Catalog) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of catalog.groupVersions())
    paths[gvPath(gv)] = {
      serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=${catalog.generation}`,
    };
  return { paths };
}

/**
 * `/openapi/v3/<group-version>`: the paths of its resources, whose PATCH
 * operations say the server validates fields itself (so kubectl 1.32 sends
 * fieldValidation instead of validating on the client), and the schemas of
 * its kinds with everything they reference (so `kubectl explain` works).
 */
export function openApiV3GroupVersion(catalog: Catalog, path: string) {
  const gv = catalog.groupVersions().find((g) => `/openapi/v3/${gvPath(g)}` === path);
  if (!gv) return undefined;
  const schemas: Record<string, Schema> = {};
  const roots: string[] = [];
  for (const type of gv.types) {
    const custom = customSchema(type, "#/components/schemas/");
    if (custom) {
      schemas[definitionName(type)] = custom;
      roots.push(definitionName(type));
    } else roots.push(...builtinNames(type));
  }
  for (const name of closure(roots, schemas)) schemas[name] ??= v3Schemas[name] as Schema;
  const paths: Record<string, unknown> = {};
  for (const type of gv.types) Object.assign(paths, resourcePaths(gv, type));
  return { openapi: "3.0.0", info, paths, components: { schemas } };
}

function gvPath(gv: Pick<GroupVersion, "group" | "version">): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

/** The names of the definitions of a built-in kind and its list. */
function builtinNames(type: ResourceType): string[] {
  return [type.kind, type.listKind].flatMap((kind) => {
    const name = byGvk().get(gvkKey({ group: type.group, version: type.version, kind }));
    return name ? [name] : [];
  });
}

let gvkIndex: Map<string, string> | undefined;
function byGvk(): Map<string, string> {
  if (gvkIndex) return gvkIndex;
  gvkIndex = new Map();
  for (const [name, schema] of Object.entries(v3Schemas))
    for (const gvk of (schema["x-kubernetes-group-version-kind"] as Gvk[] | undefined) ?? [])
      gvkIndex.set(gvkKey(gvk), name);
  return gvkIndex;
}

const gvkKey = (gvk: Gvk) => `${gvk.group}/${gvk.version}/${gvk.kind}`;

/** Every schema the roots reference, transitively (components/schemas names). */
function closure(roots: readonly string[], extra: Record<string, Schema>): Set<string> {
  const seen = new Set<string>();
  const visit = (value: unknown) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== "object" || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === "$ref" && typeof child === "string") {
        const name = child.replace("#/components/schemas/", "");
        if (!seen.has(name)) {
          seen.add(name);
          visit(v3Schemas[name] ?? extra[name]);
        }
      } else visit(child);
    }
  };
  for (const root of roots) {
    seen.add(root);
    visit(v3Schemas[root] ?? extra[root]);
  }
  return seen;
}

/** A custom resource's definition name, the way kube-apiserver names them: the reversed group. */
function definitionName(type: ResourceType): string {
  return `${type.group.split(".").reverse().join(".")}.${type.version}.${type.kind}`;
}

/** A custom resource version's schema: its CRD's, with apiVersion, kind and metadata added. */
function customSchema(type: ResourceType, refPrefix: string): Schema | undefined {
  if (!type.crd || !type.schema) return undefined;
  const properties = (type.schema.properties ?? {}) as Record<string, Schema>;
  return {
    ...type.schema,
    type: "object",
    properties: {
      ...properties,
      apiVersion: {
        type: "string",
        description: "APIVersion defines the versioned schema of this representation of an object.",
      },
      kind: {
        type: "string",
        description:
          "Kind is a string value representing the REST resource this object represents.",
      },
      metadata: { $ref: `${refPrefix}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` },
    },
    "x-kubernetes-group-version-kind": [
      { group: type.group, version: type.version, kind: type.kind },
    ],
  };
}

function resourcePaths(gv: GroupVersion, type: ResourceType): Record<string, unknown> {
  const gvk = { group: gv.group, version: gv.version, kind: type.kind };
  const base = `/${gvPath(gv)}${type.namespaced ? "/namespaces/{namespace}" : ""}/${type.plural}`;
  const op = (extra: Record<string, unknown> = {}) => ({
    "x-kubernetes-group-version-kind": gvk,
    responses: { "200": { description: "OK" } },
    ...extra,
  });
  const patchTypes = [
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/apply-patch+yaml",
  ];
  return {
    [base]: { get: op(), post: op({ parameters: writeParameters }) },
    [`${base}/{name}`]: {
      get: op(),
      put: op({ parameters: writeParameters }),
      delete: op(),
      patch: op({
        parameters: [
          ...writeParameters,
          { name: "force", in: "query", schema: { type: "boolean" } },
        ],
        requestBody: {
          content: Object.fromEntries(patchTypes.map((t) => [t, { schema: { type: "object" } }])),
        },
      }),
    },
  };
}

const writeParameters = [
  { name: "dryRun", in: "query", schema: { type: "string" } },
  { name: "fieldManager", in: "query", schema: { type: "string" } },
  { name: "fieldValidation", in: "query", schema: { type: "string" } },
];
