import { KeelsonError } from "../../machinery/errors";
import {
  applyJsonPatch as applyOperations,
  type JsonPatchOperation,
} from "../../machinery/json-patch";
import { isJsonObject } from "../api";

export class PatchError extends Error {
  override name = "PatchError";
}

const operations = new Set(["add", "remove", "replace", "move", "copy", "test"]);

/**
 * RFC 6902 as the API server takes it: the body must be a list of
 * well-formed operations (or 400/422 with the server's own wording), then
 * the one JSON Patch implementation applies it, whole or not at all.
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw new PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  for (const op of patch) {
    if (!isJsonObject(op) || typeof op.op !== "string" || typeof op.path !== "string")
      throw new PatchError("the patch operation is missing its op or path");
    if (!operations.has(op.op)) throw new PatchError(`Unexpected kind: ${op.op}`);
    if ((op.op === "move" || op.op === "copy") && typeof op.from !== "string")
      throw new PatchError(`${op.op} operation is missing its from`);
  }
  try {
    return applyOperations(doc, patch as JsonPatchOperation[]);
  } catch (error) {
    if (error instanceof KeelsonError) throw new PatchError(error.message);
    throw error;
  }
}
