import type { Catalog, GroupVersion } from "../resources/catalog";

/**
 * Just enough OpenAPI v3 for kubectl: it reads the PATCH operations to learn
 * that the server validates fields itself (the `fieldValidation` parameter),
 * and then skips client-side schema validation, which would need full schemas.
 * Strategic merge is not advertised, so kubectl apply computes patches from
 * its compiled-in types. /openapi/v2 answers 404, as a server may.
 */
function gvPath(gv: GroupVersion): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

export function openApiRoot(catalog: Catalog) {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of catalog.groupVersions()) {
    paths[gvPath(gv)] = {
      serverRelativeURL: `/openapi/v3/${gvPath(gv)}?hash=${catalog.generation}`,
    };
  }
  return { paths };
}

function patchOperation(gv: GroupVersion, kind: string) {
  return {
    "x-kubernetes-group-version-kind": { group: gv.group, version: gv.version, kind },
    parameters: [
      { name: "dryRun", in: "query", schema: { type: "string" } },
      { name: "fieldValidation", in: "query", schema: { type: "string" } },
    ],
    requestBody: {
      content: {
        "application/json-patch+json": { schema: { type: "object" } },
        "application/merge-patch+json": { schema: { type: "object" } },
      },
    },
    responses: { "200": { description: "OK" } },
  };
}

export function openApiGroupVersion(catalog: Catalog, path: string) {
  const gv = catalog.groupVersions().find((g) => `/openapi/v3/${gvPath(g)}` === path);
  if (!gv) return undefined;
  const paths: Record<string, unknown> = {};
  for (const type of gv.types) {
    const prefix = `/${gvPath(gv)}${type.namespaced ? "/namespaces/{namespace}" : ""}/${type.plural}/{name}`;
    paths[prefix] = { patch: patchOperation(gv, type.kind) };
  }
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes (kubesim)", version: "v1.32.0" },
    paths,
    components: { schemas: {} },
  };
}
