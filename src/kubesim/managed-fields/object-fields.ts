import { isJsonObject, sameJson } from "../api";
import { listStrategy } from "../patch/patch-meta";
import { ancestors, type FieldSet, pathElements, pathKey } from "./field-set";

/**
 * How a kind's lists merge: built-in kinds by the keys their strategic merge
 * uses (containers by name, finalizers as a set); custom resources (no Go
 * tags) treat every list as one value.
 */
export type ListRules = (field: string) => ReturnType<typeof listStrategy>;

export const builtinLists: ListRules = listStrategy;
export const atomicLists: ListRules = () => ({ kind: "replace" });

/** Objects whose keys are data (maps), not a fixed set of fields: the node itself is owned too. */
const mapFields = new Set([
  "data",
  "binaryData",
  "stringData",
  "labels",
  "annotations",
  "nodeSelector",
  "matchLabels",
  "limits",
  "requests",
  "capacity",
  "allocatable",
]);

/** Fields the server sets or tracks elsewhere: never owned by a manager. */
const unmanagedMetadata = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

/**
 * The fields an object (or an applied configuration) sets: every leaf
 * value, every keyed list item and map, under the object's own fields.
 * apiVersion, kind, server-set metadata and (outside the status
 * subresource) status are not fields a manager owns.
 */
export function fieldsOf(obj: unknown, lists: ListRules, subresource?: "status"): FieldSet {
  const set: FieldSet = new Set();
  if (!isJsonObject(obj)) return set;
  for (const [key, value] of Object.entries(obj)) {
    if (key === "apiVersion" || key === "kind" || value === undefined) continue;
    if ((key === "status") !== (subresource === "status") && key !== "metadata") continue;
    if (key === "metadata" && isJsonObject(value)) {
      for (const [field, child] of Object.entries(value))
        if (!unmanagedMetadata.has(field) && child !== undefined)
          collect(child, ["f:metadata", `f:${field}`], field, lists, set);
    } else collect(value, [`f:${key}`], key, lists, set);
  }
  return set;
}

function collect(
  value: unknown,
  path: string[],
  name: string,
  lists: ListRules,
  set: FieldSet,
): void {
  if (Array.isArray(value)) {
    collectList(value, path, name, lists, set);
    return;
  }
  if (!isJsonObject(value) || Object.keys(value).length === 0) return void set.add(pathKey(path));
  if (mapFields.has(name)) set.add(pathKey(path));
  for (const [key, child] of Object.entries(value))
    if (child !== undefined) collect(child, [...path, `f:${key}`], key, lists, set);
}

function collectList(
  list: unknown[],
  path: string[],
  name: string,
  lists: ListRules,
  set: FieldSet,
): void {
  const rule = lists(name);
  if (rule.kind === "replace" || list.length === 0) return void set.add(pathKey(path));
  for (const item of list) {
    if (rule.kind === "union") set.add(pathKey([...path, `v:${JSON.stringify(item)}`]));
    else if (isJsonObject(item) && item[rule.key] !== undefined) {
      const itemPath = [...path, `k:${JSON.stringify({ [rule.key]: item[rule.key] })}`];
      set.add(pathKey(itemPath));
      for (const [key, child] of Object.entries(item))
        if (child !== undefined) collect(child, [...itemPath, `f:${key}`], key, lists, set);
    }
  }
}

/** The value at a path, or undefined when the object has nothing there. */
export function valueAt(obj: unknown, key: string): unknown {
  let node: unknown = obj;
  for (const element of pathElements(key)) {
    node = step(node, element);
    if (node === undefined) return undefined;
  }
  return node;
}

function step(node: unknown, element: string): unknown {
  const value = element.slice(2);
  if (element.startsWith("f:")) return isJsonObject(node) ? node[value] : undefined;
  if (!Array.isArray(node)) return undefined;
  if (element.startsWith("i:")) return node[Number(value)];
  const wanted: unknown = JSON.parse(value);
  if (element.startsWith("v:")) return node.find((item) => sameJson(item, wanted));
  return node.find((item) => matchesKey(item, wanted));
}

export function matchesKey(item: unknown, key: unknown): boolean {
  return (
    isJsonObject(item) &&
    isJsonObject(key) &&
    Object.entries(key).every(([k, v]) => sameJson(item[k], v))
  );
}

/** Removes what is at a path (a field, a list item); nothing if it is not there. */
export function removeAt(obj: unknown, key: string): void {
  const elements = pathElements(key);
  const last = elements.pop();
  if (!last) return;
  const parent = valueAt(obj, pathKey(elements));
  const value = last.slice(2);
  if (last.startsWith("f:") && isJsonObject(parent)) delete parent[value];
  else if (Array.isArray(parent)) {
    const wanted: unknown = last.startsWith("i:") ? undefined : JSON.parse(value);
    const index = last.startsWith("i:")
      ? Number(value)
      : parent.findIndex((item) =>
          last.startsWith("v:") ? sameJson(item, wanted) : matchesKey(item, wanted),
        );
    if (index >= 0) parent.splice(index, 1);
  }
}

/**
 * What a write changed, as the fields it set to a new value (or created)
 * and the fields it removed: the first become its writer's, the second
 * nobody's.
 */
export function changedFields(
  before: unknown,
  after: unknown,
  lists: ListRules,
  subresource?: "status",
): { changed: FieldSet; removed: FieldSet } {
  const old = before === undefined ? new Set<string>() : fieldsOf(before, lists, subresource);
  const now = fieldsOf(after, lists, subresource);
  // A map or a keyed item changes when it appears; a leaf, when its value does.
  const interior = new Set([...now].flatMap(ancestors));
  const changed: FieldSet = new Set();
  for (const path of now) {
    if (!old.has(path)) changed.add(path);
    else if (!interior.has(path) && !sameJson(valueAt(before, path), valueAt(after, path)))
      changed.add(path);
  }
  return { changed, removed: new Set([...old].filter((p) => !now.has(p))) };
}
