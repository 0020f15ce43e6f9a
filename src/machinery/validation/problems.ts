import type { core } from "zod/mini";

/** Every problem of a failed parse, each as "path.to.field: what is expected". */
export function problemsOf(error: { issues: readonly core.$ZodIssue[] }): string[] {
  return error.issues.map(
    (issue) => `${issue.path.map(String).join(".") || "(root)"}: ${issue.message}`,
  );
}
