import type { PlainObject } from "../../json-patch/plain";
import { applyJsonPatchToConfig } from "./apply-json-patch-to-config";
import { applyStrategicMerge } from "./apply-strategic-merge";
import type { ConfigPatch } from "./config-patch";

/** Applies patches in order; the result is plain data, to be validated before use. */
export function applyPatches(
  docs: readonly object[],
  patches: readonly ConfigPatch[],
): PlainObject[] {
  let current = docs.map((d) => structuredClone(d) as PlainObject);
  for (const patch of patches) {
    current =
      patch.type === "json"
        ? applyJsonPatchToConfig(current, patch.operations)
        : applyStrategicMerge(current, patch.documents);
  }
  return current;
}
