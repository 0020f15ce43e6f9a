import type * as z from "zod/mini";
import type { PathSegment } from "../schema/config-path";
import { fallbackMessage, issueProblems } from "./issue-problems";
import type { Problem } from "./problem";

/** Parses `value` with `schema`, turning every issue into a problem at `prefix`. */
export function checkSchema<T>(
  schema: z.ZodMiniType<T>,
  value: unknown,
  document: number,
  prefix: readonly PathSegment[] = [],
): { data?: T; problems: Problem[] } {
  const parsed = schema.safeParse(value, { error: fallbackMessage, reportInput: true });
  if (parsed.success) return { data: parsed.data, problems: [] };
  return { problems: issueProblems(parsed.error.issues, schema, document, prefix) };
}
