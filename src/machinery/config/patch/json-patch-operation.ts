import * as z from "zod/mini";

const pointer = z
  .string({ error: "expected a JSON pointer such as /machine/hostname" })
  .check(
    z.refine(
      (v) => v === "" || v.startsWith("/"),
      "expected a JSON pointer such as /machine/hostname",
    ),
  );
const value = z
  .unknown()
  .check(z.refine((v) => v !== undefined, "missing required field (expected the value to use)"));

/** The six RFC 6902 operations; unknown fields are errors, like everywhere in a config. */
export const jsonPatchOperationSchema = z.discriminatedUnion(
  "op",
  [
    z.strictObject({ op: z.literal("add"), path: pointer, value }),
    z.strictObject({ op: z.literal("remove"), path: pointer }),
    z.strictObject({ op: z.literal("replace"), path: pointer, value }),
    z.strictObject({ op: z.literal("move"), from: pointer, path: pointer }),
    z.strictObject({ op: z.literal("copy"), from: pointer, path: pointer }),
    z.strictObject({ op: z.literal("test"), path: pointer, value }),
  ],
  { error: "expected op add, remove, replace, move, copy or test" },
);

export type JsonPatchOperation = z.infer<typeof jsonPatchOperationSchema>;
