import type { ConfigDocument } from "../schema/kinds";
import { locateProblems } from "../yaml/locate-problems";
import { parseYaml } from "../yaml/parse-yaml";
import { assertNoErrors, errorsOf, type Problem } from "./problem";
import { type ValidateOptions, validateDocuments } from "./validate-documents";

export interface ConfigResult {
  documents: ConfigDocument[];
  /** Every problem, each with its line and column, sorted by position. */
  problems: Problem[];
  /** No errors (warnings allowed). */
  valid: boolean;
}

/** Validates config text: YAML syntax, schemas, rules across documents; all problems at once. */
export function validateConfig(text: string, options: ValidateOptions = {}): ConfigResult {
  const source = parseYaml(text);
  const { documents, problems } = validateDocuments(source.documents, options);
  // A document that failed to parse is missing from the rest: problems about
  // missing documents would only repeat the syntax error.
  const consequences = (p: Problem) => source.problems.length > 0 && p.document === undefined;
  const kept = problems.filter((p) => !consequences(p));
  const located = locateProblems([...source.problems, ...kept], source);
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  return { documents, problems: located, valid: errorsOf(located).length === 0 };
}

/** `validateConfig` without expectations: what any node would accept. */
export function parseConfig(text: string): ConfigResult {
  return validateConfig(text);
}

/** The documents of a valid config, or a KeelsonError listing every problem. */
export function loadConfig(
  text: string,
  options: ValidateOptions & { file?: string } = {},
): ConfigDocument[] {
  const result = validateConfig(text, options);
  assertNoErrors(result.problems, options.file ?? "the config", options.file);
  return result.documents;
}
