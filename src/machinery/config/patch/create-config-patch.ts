import type { PlainObject } from "../../json-patch/plain";
import { createStrategicPatch } from "./create-strategic-patch";
import { directiveKey } from "./directives";

/**
 * The strategic-merge patch documents that turn config `from` into `to`:
 * one per changed kind, a whole document for an added kind, and
 * `$patch: delete` for a removed one. Applying them with applyStrategicMerge
 * gives `to`; swapping the arguments gives the patch that undoes it.
 */
export function createConfigPatch(from: readonly object[], to: readonly object[]): PlainObject[] {
  const patches: PlainObject[] = [];
  const before = from as readonly PlainObject[];
  for (const old of before) {
    if (!to.some((d) => (d as PlainObject).kind === old.kind))
      patches.push({ apiVersion: old.apiVersion, kind: old.kind, [directiveKey]: "delete" });
  }
  for (const doc of to as readonly PlainObject[]) {
    const old = before.find((d) => d.kind === doc.kind);
    const body = createStrategicPatch(old ?? {}, doc);
    if (body !== undefined)
      patches.push({ ...(body as PlainObject), apiVersion: doc.apiVersion, kind: doc.kind });
  }
  return patches;
}
