import type { JsonPatchOperation } from "./json-patch-operation";

/** A patch as parsed: strategic-merge documents, or RFC 6902 operations. */
export type ConfigPatch =
  | { type: "strategic"; documents: unknown[] }
  | { type: "json"; operations: JsonPatchOperation[] };
