import { type Problem, problem } from "./problem";

/** Exactly one MachineConfig and at most one ClusterConfig, counted by the `kind` written. */
export function documentCountProblems(
  documents: readonly { index: number; value: unknown }[],
): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, number>();
  for (const { index, value } of documents) {
    const kind = (value as { kind?: unknown } | null)?.kind;
    if (kind !== "MachineConfig" && kind !== "ClusterConfig") continue;
    const count = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, count);
    if (count > 1)
      problems.push(
        problem(["kind"], `a second ${kind} document; a config has only one`, { document: index }),
      );
  }
  if (!seen.has("MachineConfig"))
    problems.push(problem([], "missing the MachineConfig document; a config has exactly one"));
  return problems;
}
