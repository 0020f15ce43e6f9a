import { readFileSync } from "node:fs";
import { z } from "zod";
import { KeelsonError } from "../../machinery/errors";

/**
 * What a node knows about itself before any machine configuration: its name,
 * role, the address its API listens on, and the image it booted.
 */
export const nodeIdentitySchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "a DNS label (lowercase letters, digits, '-')"),
  role: z.enum(["controlplane", "worker"]),
  cluster: z.string().min(1),
  address: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(50000),
  platform: z.string().default("process"),
  allowedReadPaths: z.array(z.string().startsWith("/")).default([]),
});

export type NodeIdentity = z.infer<typeof nodeIdentitySchema>;

export const imageSchema = z.strictObject({
  version: z.string(),
  slot: z.enum(["A", "B"]),
});

export type BootedImage = z.infer<typeof imageSchema>;

export function readJsonFile<T>(path: string, schema: z.ZodType<T>, what: string): T {
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
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (i) => `${i.path.join(".") || "(root)"}: ${i.message}`,
    );
    throw new KeelsonError("invalidArgument", `invalid ${what} at ${path}: ${problems.join("; ")}`);
  }
  return parsed.data;
}
