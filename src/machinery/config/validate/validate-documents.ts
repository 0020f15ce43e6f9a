import type { ConfigDocument } from "../schema/kinds";
import { certificateProblems } from "./certificate-rules";
import { configSet, type Located, looseSet } from "./config-set";
import { documentCountProblems } from "./document-rules";
import { namedListProblems } from "./named-list-rules";
import type { Problem } from "./problem";
import {
  clusterSecretProblems,
  type Expectations,
  expectationProblems,
  roleProblems,
} from "./role-rules";
import { checkDocument } from "./schema-problems";
import { recommendationProblems } from "./strict-rules";

export interface ValidateOptions extends Expectations {
  /** Recommendations become errors (`keelctl validate --strict`). */
  strict?: boolean;
  /** The time certificates are checked against; now by default. */
  now?: Date;
}

export interface Validated {
  /** The documents that matched their schema, in stream order. */
  documents: ConfigDocument[];
  /** Every problem found, errors and warnings, in no particular order. */
  problems: Problem[];
}

/**
 * Validates plain documents: each against its kind, then the rules across
 * documents. Every problem is collected; nothing stops at the first.
 */
export function validateDocuments(
  values: readonly { index: number; value: unknown }[],
  options: ValidateOptions = {},
): Validated {
  const problems: Problem[] = documentCountProblems(values);
  const located: Located<ConfigDocument>[] = [];
  for (const { index, value } of values) {
    const checked = checkDocument(value, index);
    problems.push(...checked.problems, ...namedListProblems(value, index));
    if (checked.config) located.push({ document: index, config: checked.config });
  }
  const set = configSet(located);
  const loose = looseSet(values);
  problems.push(
    ...roleProblems(loose),
    ...clusterSecretProblems(loose),
    ...expectationProblems(loose, options),
    ...certificateProblems(set, options.now ?? new Date()),
    ...recommendationProblems(set),
  );
  const severe = options.strict
    ? problems.map((p) => ({ ...p, severity: "error" as const }))
    : problems;
  return { documents: located.map((d) => d.config), problems: dedupe(severe) };
}

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.document}\u0000${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
