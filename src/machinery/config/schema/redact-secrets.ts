import type * as z from "zod/mini";
import { isPlainObject } from "../../json-patch/plain";
import { configKinds, isConfigKind } from "./kinds";
import { secretRegistry } from "./secret-registry";
import { childSchema } from "./walk-schema";

export const redacted = "***";

/**
 * A copy of config documents with every secret field (marked `secret()` in
 * the schema) replaced by "***". Driven by the schema, so a new secret field
 * is redacted the day it is declared. Unknown kinds are kept as they are:
 * validation has refused them before anything is shown.
 */
export function redactSecrets<T extends object>(documents: readonly T[]): T[] {
  return documents.map((doc) => {
    const kind = (doc as { kind?: unknown }).kind;
    return isConfigKind(kind) ? (redactValue(doc, configKinds[kind].schema) as T) : doc;
  });
}

/** Redacts any value along its schema (also used for the secrets bundle). */
export function redactValue(value: unknown, schema: z.ZodMiniType | undefined): unknown {
  if (!schema || value === undefined) return value;
  if (isSecret(schema)) return redacted;
  if (Array.isArray(value))
    return value.map((item, i) => redactValue(item, childSchema(schema, i)));
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redactValue(item, childSchema(schema, key))]),
  );
}

function isSecret(schema: z.ZodMiniType): boolean {
  // Wrappers (optional) are distinct schemas; the mark sits on the wrapped one.
  for (let s: z.ZodMiniType | undefined = schema; s; ) {
    if (secretRegistry.has(s)) return true;
    s = (s._zod.def as { innerType?: z.ZodMiniType }).innerType;
  }
  return false;
}
