import type { core } from "zod/mini";

/** Every problem of a failed parse, each as "path.to.field: what is expected". */
export function problemsOf(error: { issues: readonly core.$ZodIssue[] }): string[] {
  return error.issues.map(
    (issue) => `${issue.path.map(String).join(".") || "(root)"}: ${messageOf(issue)}`,
  );
}

/** An unknown field is named, not reported as a wrong map (zod/mini gives one message per object). */
function messageOf(issue: core.$ZodIssue): string {
  if (issue.code !== "unrecognized_keys") return issue.message;
  const keys = issue.keys.map((k) => `"${k}"`).join(", ");
  return `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}`;
}
