export { applyJsonPatch } from "./apply-json-patch";
export type { JsonPatchOperation } from "./json-patch-operation";
export { arrayIndex, formatPointer, parsePointer } from "./json-pointer";
export { isPlainObject, own, type PlainObject, setOwn } from "./plain";
