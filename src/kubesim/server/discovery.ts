import type { Catalog, GroupVersion } from "../resources/catalog";
import { apiVersionOf, type ResourceType, type Subresource } from "../resources/resource-type";

const allVerbs = [
  "create",
  "delete",
  "deletecollection",
  "get",
  "list",
  "patch",
  "update",
  "watch",
];

export const serverVersion = {
  major: "1",
  minor: "32",
  gitVersion: "v1.32.0-kubesim",
  gitCommit: "kubesim",
  gitTreeState: "clean",
  buildDate: "2025-01-01T00:00:00Z",
  goVersion: "go1.23.0",
  compiler: "gc",
  platform: "linux/amd64",
};

const subresourceShapes: Record<Subresource, (type: ResourceType) => Record<string, unknown>> = {
  status: (type) => ({ kind: type.kind, verbs: ["get", "patch", "update"] }),
  eviction: () => ({ group: "policy", version: "v1", kind: "Eviction", verbs: ["create"] }),
  log: () => ({ kind: "Pod", verbs: ["get"] }),
  binding: () => ({ kind: "Binding", verbs: ["create"] }),
  scale: () => ({
    group: "autoscaling",
    version: "v1",
    kind: "Scale",
    verbs: ["get", "patch", "update"],
  }),
};

function subresourceEntries(type: ResourceType) {
  return type.subresources.map((sub) => ({
    name: `${type.plural}/${sub}`,
    singularName: "",
    namespaced: type.namespaced,
    ...subresourceShapes[sub](type),
  }));
}

function resourceEntry(type: ResourceType) {
  return {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: allVerbs,
    ...(type.shortNames.length ? { shortNames: type.shortNames } : {}),
    ...(type.categories ? { categories: type.categories } : {}),
  };
}

export function resourceList(gv: GroupVersion) {
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: apiVersionOf(gv),
    resources: gv.types.flatMap((t) => [resourceEntry(t), ...subresourceEntries(t)]),
  };
}

function groupEntry(name: string, versions: string[]) {
  const list = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** /apis: every named group with its served versions. */
export function groupList(catalog: Catalog) {
  const byGroup = new Map<string, string[]>();
  for (const gv of catalog.groupVersions()) {
    if (gv.group === "") continue;
    byGroup.set(gv.group, [...(byGroup.get(gv.group) ?? []), gv.version]);
  }
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [...byGroup.entries()].map(([name, versions]) => groupEntry(name, versions)),
  };
}

export function groupOf(catalog: Catalog, group: string) {
  const versions = catalog
    .groupVersions()
    .filter((gv) => gv.group === group)
    .map((gv) => gv.version);
  return versions.length
    ? { kind: "APIGroup", apiVersion: "v1", ...groupEntry(group, versions) }
    : undefined;
}

export function coreVersions(serverAddress: string) {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

/** Routes the discovery paths; undefined means "not a discovery path". */
export function discover(catalog: Catalog, path: string, serverAddress: string): unknown {
  const parts = path.split("/").filter((p) => p !== "");
  if (path === "/version" || path === "/version/") return serverVersion;
  if (parts[0] === "api" && parts.length === 1) return coreVersions(serverAddress);
  if (parts[0] === "apis" && parts.length === 1) return groupList(catalog);
  const gvs = catalog.groupVersions();
  if (parts[0] === "api" && parts.length === 2) {
    const gv = gvs.find((g) => g.group === "" && g.version === parts[1]);
    return gv ? resourceList(gv) : undefined;
  }
  if (parts[0] === "apis" && parts.length === 2) return groupOf(catalog, parts[1] ?? "");
  if (parts[0] === "apis" && parts.length === 3) {
    const gv = gvs.find((g) => g.group === parts[1] && g.version === parts[2]);
    return gv ? resourceList(gv) : undefined;
  }
  return undefined;
}
