import { readFileSync } from "node:fs";
import type * as z from "zod/mini";
import { KeelsonError } from "../../machinery/errors";
import { problemsOf } from "../../machinery/validation";

/** Reads a JSON record the platform wrote, with errors naming the file and what is wrong. */
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
  if (!parsed.success) {
    throw new KeelsonError(
      "invalidArgument",
      `invalid ${what} at ${path}: ${problemsOf(parsed.error).join("; ")}`,
    );
  }
  return parsed.data;
}
