import { isDeepStrictEqual } from "node:util";
import { isPlainObject, own, type PlainObject, setOwn } from "../../json-patch/plain";
import type { PathSegment } from "../schema/config-path";
import { mergeKeyAt } from "../schema/merge-keys";
import { directiveKey } from "./directives";
import { mergeValue } from "./strategic-merge";

const deleted = { [directiveKey]: "delete" };

/**
 * A strategic-merge patch that turns `from` into `to` (one document's body).
 * Named lists become item patches and deletes; when merging them could not
 * reproduce `to` exactly (order changed, unnamed items), the list is replaced.
 * Undefined when nothing changed.
 */
export function createStrategicPatch(
  from: unknown,
  to: unknown,
  path: PathSegment[] = [],
): unknown {
  if (isDeepStrictEqual(from, to)) return undefined;
  if (isPlainObject(to) && isPlainObject(from)) return mapPatch(from, to, path);
  if (isPlainObject(to)) return { [directiveKey]: "replace", ...to };
  if (Array.isArray(to) && mergeKeyAt(path)) return namedListPatch(from, to, path);
  return structuredClone(to);
}

function mapPatch(from: PlainObject, to: PlainObject, path: PathSegment[]): PlainObject {
  const patch: PlainObject = {};
  for (const key of Object.keys(from))
    if (!Object.hasOwn(to, key)) setOwn(patch, key, { ...deleted });
  for (const [key, value] of Object.entries(to)) {
    const inner = createStrategicPatch(own(from, key), value, [...path, key]);
    if (inner !== undefined) setOwn(patch, key, inner);
  }
  return patch;
}

function namedListPatch(from: unknown, to: unknown[], path: PathSegment[]): unknown[] {
  const key = mergeKeyAt(path) as string;
  const before = Array.isArray(from) ? from : [];
  const nameOf = (item: unknown) => (isPlainObject(item) ? item[key] : undefined);
  const items: unknown[] = before
    .filter((old) => !to.some((item) => nameOf(item) === nameOf(old)))
    .map((old) => ({ [key]: nameOf(old), ...deleted }));
  for (const item of to) {
    const old = before.find((o) => nameOf(o) === nameOf(item));
    const inner = old === undefined ? item : createStrategicPatch(old, item, [...path, 0]);
    if (inner !== undefined) items.push({ ...(inner as PlainObject), [key]: nameOf(item) });
  }
  const replaced = [{ [directiveKey]: "replace" }, ...to];
  const context = { document: 0, problems: [] };
  const merged = mergeValue(from, items, path, context);
  return context.problems.length === 0 && isDeepStrictEqual(merged, to) ? items : replaced;
}
