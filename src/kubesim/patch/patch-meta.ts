/**
 * The `patchMergeKey`/`patchStrategy` tags of the built-in Go types that
 * matter for the kinds kubesim serves. Field names mean the same in every
 * kind, so one table keyed by field name is enough.
 */
const mergeKeys: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  ephemeralContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
  volumeDevices: "devicePath",
  ports: "containerPort",
  conditions: "type",
  imagePullSecrets: "name",
  ownerReferences: "uid",
  addresses: "type",
  hostAliases: "ip",
  topologySpreadConstraints: "topologyKey",
  resourceClaims: "name",
};

/** Lists of scalars tagged `patchStrategy:"merge"`: a patch adds to them instead of replacing. */
const mergedPrimitiveLists = new Set(["finalizers"]);

export type ListStrategy =
  | { kind: "replace" }
  | { kind: "mergeByKey"; key: string }
  | { kind: "union" };

export function listStrategy(field: string): ListStrategy {
  const key = mergeKeys[field];
  if (key) return { kind: "mergeByKey", key };
  if (mergedPrimitiveLists.has(field)) return { kind: "union" };
  return { kind: "replace" };
}
