export { applyPatch, type PatchType, patchTypes } from "./apply-patch";
export { applyJsonPatch, PatchError } from "./json-patch";
export { applyMergePatch } from "./merge-patch";
export { applyStrategicMergePatch } from "./strategic-merge";
