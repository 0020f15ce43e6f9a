import * as z from "zod/mini";

/** Schemas of fields that hold secrets (keys, tokens); see `secret()` and `redactSecrets`. */
export const secretRegistry = z.registry<{ secret: true }>();
