import { getOwn, isJsonObject, type JsonObject, setOwn } from "../api";
import { PatchError } from "./json-patch";
import { type ListStrategy, listStrategy } from "./patch-meta";

const deletePrefix = "$deleteFromPrimitiveList/";
const orderPrefix = "$setElementOrder/";

/**
 * Strategic merge patch for built-in kinds (k8s.io/apimachinery strategicpatch):
 * maps merge, lists merge by their patch merge key, and the `$patch`,
 * `$retainKeys`, `$deleteFromPrimitiveList` and `$setElementOrder` directives apply.
 */
export function applyStrategicMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) throw new PatchError("strategic merge patch must be a JSON object");
  return mergeMap(isJsonObject(target) ? target : {}, patch);
}

function mergeMap(target: JsonObject, patch: JsonObject): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === "delete") return undefined;
  const { $patch, $retainKeys, ...rest } = patch;
  const base: JsonObject = directive === "replace" ? {} : { ...target };
  for (const [key, value] of Object.entries(rest)) {
    if (key.startsWith(orderPrefix)) continue;
    if (key.startsWith(deletePrefix)) {
      const field = key.slice(deletePrefix.length);
      const drop = Array.isArray(value) ? value : [];
      const list = getOwn(base, field);
      if (Array.isArray(list))
        setOwn(
          base,
          field,
          list.filter((v) => !drop.includes(v)),
        );
      continue;
    }
    mergeField(base, key, value);
  }
  if (Array.isArray($retainKeys)) {
    for (const key of Object.keys(base)) if (!$retainKeys.includes(key)) delete base[key];
  }
  return base;
}

function mergeField(base: JsonObject, key: string, value: unknown): void {
  if (value === null) {
    delete base[key];
    return;
  }
  if (isJsonObject(value)) {
    const existing = getOwn(base, key);
    const merged = mergeMap(isJsonObject(existing) ? existing : {}, value);
    if (merged === undefined) delete base[key];
    else setOwn(base, key, merged);
    return;
  }
  if (Array.isArray(value)) {
    const existing = getOwn(base, key);
    setOwn(base, key, mergeList(Array.isArray(existing) ? existing : [], value, listStrategy(key)));
    return;
  }
  setOwn(base, key, value);
}

function mergeList(target: unknown[], patch: unknown[], strategy: ListStrategy): unknown[] {
  if (patch.some((item) => isJsonObject(item) && item.$patch === "replace")) {
    return patch.filter((item) => !(isJsonObject(item) && item.$patch === "replace"));
  }
  if (strategy.kind === "replace") return structuredClone(patch);
  if (strategy.kind === "union") return [...target, ...patch.filter((v) => !target.includes(v))];
  return mergeByKey(target, patch, strategy.key);
}

function mergeByKey(target: unknown[], patch: unknown[], key: string): unknown[] {
  const result = [...target];
  for (const item of patch) {
    if (!isJsonObject(item))
      throw new PatchError(
        `the list item ${JSON.stringify(item)} is not an object with merge key ${key}`,
      );
    if (!(key in item))
      throw new PatchError(
        `map: ${JSON.stringify(item)} does not contain declared merge key: ${key}`,
      );
    const at = result.findIndex(
      (existing) => isJsonObject(existing) && existing[key] === item[key],
    );
    if (item.$patch === "delete") {
      if (at >= 0) result.splice(at, 1);
      continue;
    }
    if (at >= 0) {
      const merged = mergeMap(result[at] as JsonObject, item);
      if (merged) result[at] = merged;
    } else {
      const { $patch, ...clean } = item;
      result.push(mergeMap({}, clean) ?? clean);
    }
  }
  return result;
}
