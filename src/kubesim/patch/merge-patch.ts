import { getOwn, isJsonObject, setOwn } from "../api";

/** RFC 7386: objects merge recursively, null deletes, everything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return structuredClone(patch);
  const result = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    // Own properties only: a key named "__proto__" is data from the wire, never the prototype.
    else setOwn(result, key, applyMergePatch(getOwn(result, key), value));
  }
  return result;
}
