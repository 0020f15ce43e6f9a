import { isPlainObject, own, type PlainObject, setOwn } from "../../json-patch/plain";
import type { PathSegment } from "../schema/config-path";
import { mergeKeyAt } from "../schema/merge-keys";
import { type Problem, problem } from "../validate/problem";
import { directiveKey, directiveOf, withoutDirective } from "./directives";

/** Where a merge reports: the patch document it comes from and the problems so far. */
export interface MergeContext {
  document: number;
  problems: Problem[];
}

/**
 * Merges `patch` onto `base` without touching either: maps merge key by key,
 * named lists (see merge-keys) merge item by item, anything else is replaced.
 * Every problem is collected in `context`; the result is then meaningless.
 */
export function mergeValue(
  base: unknown,
  patch: unknown,
  path: PathSegment[],
  context: MergeContext,
): unknown {
  if (isPlainObject(patch)) return mergeMap(base, patch, path, context);
  if (Array.isArray(patch)) {
    return mergeKeyAt(path)
      ? mergeNamedList(base, patch, path, context)
      : valueList(patch, path, context);
  }
  return patch;
}

function mergeMap(base: unknown, patch: PlainObject, path: PathSegment[], context: MergeContext) {
  const directive = directiveOf(patch);
  const fail = (at: PathSegment[], message: string) =>
    void context.problems.push(problem(at, message, { document: context.document }));
  if (typeof directive === "object") {
    fail(
      [...path, directiveKey],
      `unknown directive ${JSON.stringify(directive.invalid)} (expected merge, replace or delete)`,
    );
    return base;
  }
  if (directive === "delete") {
    fail(
      path,
      "$patch: delete here would delete the document or list item it is in; put it under the key to delete",
    );
    return base;
  }
  const entries = Object.entries(withoutDirective(patch));
  const result: PlainObject = directive !== "replace" && isPlainObject(base) ? { ...base } : {};
  for (const [key, value] of entries) {
    const at = [...path, key];
    const inner = directiveOf(value);
    if (inner !== "delete") {
      setOwn(result, key, mergeValue(own(result, key), value, at, context));
    } else if (Object.keys(value as PlainObject).length > 1) {
      fail(at, "conflicting patch: $patch: delete together with other fields");
    } else if (!Object.hasOwn(result, key)) {
      fail(at, "cannot delete: no such field");
    } else {
      delete result[key];
    }
  }
  return result;
}

/** A list that is a value (nameservers, addresses): the patch's list replaces it. */
function valueList(patch: unknown[], path: PathSegment[], context: MergeContext): unknown[] {
  return patch.map((item, i) => mergeValue(undefined, item, [...path, i], context));
}

function mergeNamedList(
  base: unknown,
  patch: unknown[],
  path: PathSegment[],
  context: MergeContext,
): unknown[] {
  const key = mergeKeyAt(path) as string;
  const fail = (at: PathSegment[], message: string) =>
    void context.problems.push(problem(at, message, { document: context.document }));
  const replace = patch.some(
    (item) => directiveOf(item) === "replace" && Object.keys(item as PlainObject).length === 1,
  );
  const result: unknown[] = !replace && Array.isArray(base) ? [...base] : [];
  const seen = new Set<unknown>();
  for (const [i, item] of patch.entries()) {
    const at = [...path, i];
    if (directiveOf(item) === "replace" && Object.keys(item as PlainObject).length === 1) continue;
    const name = isPlainObject(item) ? item[key] : undefined;
    if (name === undefined || name === null || typeof name === "object") {
      fail(at, `items of this list are matched by "${key}"; this one has none`);
      continue;
    }
    if (seen.has(name)) {
      fail(at, `conflicting patch: ${key} ${JSON.stringify(name)} appears twice`);
      continue;
    }
    seen.add(name);
    const index = result.findIndex((existing) => isPlainObject(existing) && existing[key] === name);
    if (directiveOf(item) === "delete") {
      if (replace) fail(at, "conflicting patch: $patch: delete inside a list that is replaced");
      else if (index < 0) fail(at, `cannot delete: no item with ${key} ${JSON.stringify(name)}`);
      else result.splice(index, 1);
      continue;
    }
    const merged = mergeValue(index < 0 ? undefined : result[index], item, at, context);
    if (index < 0) result.push(merged);
    else result[index] = merged;
  }
  return result;
}
