import { isDeepStrictEqual } from "node:util";
import { KeelsonError } from "../errors";
import type { JsonPatchOperation } from "./json-patch-operation";
import { arrayIndex, parsePointer } from "./json-pointer";
import { isPlainObject, own, setOwn } from "./plain";

/**
 * RFC 6902 on a plain document. Operations apply in order to a copy; the
 * first that fails stops the patch with an error naming it, and the input
 * is never modified (a patch applies whole or not at all).
 */
export function applyJsonPatch<T>(doc: T, operations: readonly JsonPatchOperation[]): unknown {
  let current: unknown = structuredClone(doc);
  for (const [i, operation] of operations.entries()) {
    try {
      current = applyOperation(current, operation);
    } catch (error) {
      const where = `operation ${i} (${operation.op} ${operation.path})`;
      throw new KeelsonError("invalidArgument", `JSON patch ${where}: ${(error as Error).message}`);
    }
  }
  return current;
}

function applyOperation(doc: unknown, operation: JsonPatchOperation): unknown {
  const path = tokens(operation.path);
  switch (operation.op) {
    case "add":
      return add(doc, path, structuredClone(operation.value));
    case "remove":
      return remove(doc, path).doc;
    case "replace":
      return replace(doc, path, structuredClone(operation.value));
    case "move": {
      const from = tokens(operation.from);
      if (from.length < path.length && from.every((t, i) => t === path[i]))
        throw new Error("cannot move a value into one of its own children");
      const removed = remove(doc, from);
      return add(removed.doc, path, removed.value);
    }
    case "copy":
      return add(doc, path, structuredClone(get(doc, tokens(operation.from))));
    case "test":
      if (!isDeepStrictEqual(get(doc, path), operation.value))
        throw new Error("test failed: the value differs");
      return doc;
  }
}

function tokens(pointer: string): string[] {
  const parsed = parsePointer(pointer);
  if (!parsed) throw new Error(`"${pointer}" is not a JSON pointer`);
  return parsed;
}

function get(doc: unknown, path: readonly string[]): unknown {
  let current = doc;
  for (const token of path) current = child(current, token, false).value;
  return current;
}

function child(
  container: unknown,
  token: string,
  forAdd: boolean,
): { value: unknown; index: number } {
  if (Array.isArray(container)) {
    const index = token === "-" && forAdd ? container.length : arrayIndex(token);
    const limit = forAdd ? container.length : container.length - 1;
    if (index === undefined || index > limit) throw new Error(`no list item ${token}`);
    return { value: container[index], index };
  }
  if (isPlainObject(container) && (forAdd || Object.hasOwn(container, token)))
    return { value: own(container, token), index: -1 };
  throw new Error(
    isPlainObject(container)
      ? `no field "${token}"`
      : `cannot step into a ${typeof container} with "${token}"`,
  );
}

/** Adds at `path`, mutating the copy: inserts into lists, sets (or overwrites) map keys. */
function add(doc: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1));
  const last = path.at(-1) as string;
  const { index } = child(parent, last, true);
  if (Array.isArray(parent)) parent.splice(index, 0, value);
  else setOwn(parent as Record<string, unknown>, last, value);
  return doc;
}

function remove(doc: unknown, path: readonly string[]): { doc: unknown; value: unknown } {
  if (path.length === 0) return { doc: undefined, value: doc };
  const parent = get(doc, path.slice(0, -1));
  const last = path.at(-1) as string;
  const { value, index } = child(parent, last, false);
  if (Array.isArray(parent)) parent.splice(index, 1);
  else delete (parent as Record<string, unknown>)[last];
  return { doc, value };
}

/** Replaces in place, so a replaced map key keeps its position in the document. */
function replace(doc: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = get(doc, path.slice(0, -1));
  const last = path.at(-1) as string;
  const { index } = child(parent, last, false);
  if (Array.isArray(parent)) parent[index] = value;
  else setOwn(parent as Record<string, unknown>, last, value);
  return doc;
}
