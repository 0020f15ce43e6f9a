import { KeelsonError } from "../../errors";
import { formatPath, type PathSegment } from "../schema/config-path";

export type Severity = "error" | "warning";

/** One thing wrong with a config, located as precisely as the input allows. */
export interface Problem {
  /** `machine.network.interfaces[0].mtu`; `(document)` for a whole document. */
  path: string;
  segments: PathSegment[];
  message: string;
  severity: Severity;
  /** Index of the YAML document (0-based), when the problem is inside one. */
  document?: number;
  /** 1-based, when the config came as text. */
  line?: number;
  column?: number;
}

export function problem(
  segments: readonly PathSegment[],
  message: string,
  extra: { document?: number; severity?: Severity } = {},
): Problem {
  return {
    path: formatPath(segments),
    segments: [...segments],
    message,
    severity: extra.severity ?? "error",
    ...(extra.document === undefined ? {} : { document: extra.document }),
  };
}

export function errorsOf(problems: readonly Problem[]): Problem[] {
  return problems.filter((p) => p.severity === "error");
}

/** One line per problem: `FILE:LINE:COL path: message` (parts left out when unknown). */
export function formatProblems(problems: readonly Problem[], file?: string): string {
  return problems
    .map((p) => {
      const where = [file, p.line, p.line === undefined ? undefined : p.column]
        .filter((part) => part !== undefined)
        .join(":");
      const label = p.severity === "warning" ? "warning: " : "";
      return `${where ? `${where} ` : ""}${p.path}: ${label}${p.message}`;
    })
    .join("\n");
}

/** Throws an invalidArgument KeelsonError listing every error (warnings do not fail). */
export function assertNoErrors(problems: readonly Problem[], what: string, file?: string): void {
  const errors = errorsOf(problems);
  if (errors.length === 0) return;
  const count = errors.length === 1 ? "1 problem" : `${errors.length} problems`;
  throw new KeelsonError(
    "invalidArgument",
    `${what} has ${count}:\n${formatProblems(errors, file)}`,
    "fix every field named; nothing was applied",
  );
}
