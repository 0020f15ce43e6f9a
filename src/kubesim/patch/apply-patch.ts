import { badRequest, StatusError } from "../api";
import { applyJsonPatch, PatchError } from "./json-patch";
import { applyMergePatch } from "./merge-patch";
import { applyStrategicMergePatch } from "./strategic-merge";

export const patchTypes = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
] as const;

export type PatchType = (typeof patchTypes)[number];

/**
 * Applies one of the three patch types. Strategic merge needs Go struct tags,
 * so, as on a real server, custom resources refuse it with 415.
 */
export function applyPatch(
  current: unknown,
  patch: unknown,
  contentType: string,
  builtin: boolean,
): unknown {
  const type = patchTypes.find((t) => t === contentType);
  if (!type || (type === "application/strategic-merge-patch+json" && !builtin)) {
    throw new StatusError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${builtin ? patchTypes.join(", ") : patchTypes.slice(0, 2).join(", ")}, application/apply-patch+yaml`,
    );
  }
  try {
    if (type === "application/json-patch+json") return applyJsonPatch(current, patch);
    if (type === "application/merge-patch+json") return applyMergePatch(current, patch);
    return applyStrategicMergePatch(current, patch);
  } catch (error) {
    if (error instanceof PatchError) throw new StatusError(422, "Invalid", error.message);
    throw error instanceof StatusError ? error : badRequest(String(error));
  }
}
