import { readFileSync } from "node:fs";
import * as z from "zod/mini";
import { KeelsonError } from "../../machinery/errors";
import { problemsOf } from "../../machinery/validation";

/**
 * What a node knows about itself before any machine configuration: its name,
 * role, the address its API listens on, and the image it booted.
 */
export const nodeIdentitySchema = z.strictObject({
  name: z
    .string()
    .check(
      z.regex(
        /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/,
        "must be a DNS label (lowercase letters, digits, '-')",
      ),
    ),
  role: z.enum(["controlplane", "worker"]),
  cluster: z.string().check(z.minLength(1)),
  address: z.string().check(z.minLength(1)),
  port: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(65535)), 50000),
  platform: z._default(z.string(), "process"),
  allowedReadPaths: z._default(z.array(z.string().check(z.startsWith("/"))), []),
});

export type NodeIdentity = z.infer<typeof nodeIdentitySchema>;

export const imageSchema = z.strictObject({
  version: z.string(),
  slot: z.enum(["A", "B"]),
});

export type BootedImage = z.infer<typeof imageSchema>;

export function readJsonFile<T>(path: string, schema: z.ZodMiniType<T>, what: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new KeelsonError(
      "failedPrecondition",
      `cannot read ${what} at ${path}: ${(error as Error).message}`,
    );
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new KeelsonError(
      "invalidArgument",
      `invalid ${what} at ${path}: ${problemsOf(parsed.error).join("; ")}`,
    );
  return parsed.data;
}
