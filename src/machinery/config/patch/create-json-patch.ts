import { isDeepStrictEqual } from "node:util";
import { formatPointer } from "../../json-patch/json-pointer";
import { isPlainObject } from "../../json-patch/plain";
import type { JsonPatchOperation } from "./json-patch-operation";

/**
 * The RFC 6902 operations that turn `from` into `to`: maps key by key, lists
 * of equal length item by item, anything else replaced. With `from` and `to`
 * swapped it is the inverse of a patch, which is how a change is undone.
 */
export function createJsonPatch(from: unknown, to: unknown): JsonPatchOperation[] {
  const operations: JsonPatchOperation[] = [];
  diff(from, to, [], operations);
  return operations;
}

function diff(
  from: unknown,
  to: unknown,
  path: (string | number)[],
  out: JsonPatchOperation[],
): void {
  if (isDeepStrictEqual(from, to)) return;
  if (isPlainObject(from) && isPlainObject(to)) {
    for (const key of Object.keys(from))
      if (!Object.hasOwn(to, key)) out.push({ op: "remove", path: formatPointer([...path, key]) });
    for (const [key, value] of Object.entries(to)) {
      const at = [...path, key];
      if (Object.hasOwn(from, key)) diff(from[key], value, at, out);
      else out.push({ op: "add", path: formatPointer(at), value: structuredClone(value) });
    }
    return;
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    for (const [i, value] of to.entries()) diff(from[i], value, [...path, i], out);
    return;
  }
  out.push({ op: "replace", path: formatPointer(path), value: structuredClone(to) });
}
