import type * as z from "zod/mini";
import type { PathSegment } from "../schema/config-path";
import { fieldsOf, schemaAt } from "../schema/walk-schema";
import { type Problem, problem } from "./problem";

type Issue = z.core.$ZodIssue;

/** Turns zod issues (of the value at `prefix`) into problems: one per unknown field, messages saying what is expected. */
export function issueProblems(
  issues: readonly Issue[],
  schema: z.ZodMiniType,
  document: number,
  prefix: readonly PathSegment[] = [],
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((s): s is PathSegment => typeof s !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const known = fieldsOf(schemaAt(schema, path)).join(", ");
      for (const key of issue.keys)
        out.push(
          problem([...prefix, ...path, key], `unknown field "${key}" (known fields: ${known})`, {
            document,
          }),
        );
    } else {
      out.push(problem([...prefix, ...path], messageOf(issue), { document }));
    }
  }
  return out;
}

function messageOf(issue: Issue): string {
  if (issue.code === "invalid_key") {
    const inner = issue.issues[0]?.message ?? "an allowed key";
    return `invalid key: ${inner}`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `missing required field (${issue.message})`;
  }
  return issue.message;
}

/**
 * Messages for checks declared without one; zod/mini ships none ("Invalid input").
 * Used as the parse-level error map, so a schema's own message always wins.
 */
export function fallbackMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${issue.expected}`;
    case "invalid_value":
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `expected at least ${String(issue.minimum)}`;
    case "too_big":
      return `expected at most ${String(issue.maximum)}`;
    default:
      return "invalid value";
  }
}
