import { type Document, LineCounter, parseAllDocuments, type YAMLError } from "yaml";
import { type Problem, problem } from "../validate/problem";

/** One non-empty YAML document: its syntax tree (for locating) and its plain value. */
export interface YamlDocument {
  index: number;
  node: Document;
  value: unknown;
}

export interface YamlSource {
  documents: YamlDocument[];
  problems: Problem[];
  lineCounter: LineCounter;
}

/**
 * Parses a multi-document stream and reports every syntax error with its line,
 * instead of stopping at the first. Documents with errors yield no value.
 */
export function parseYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const documents: YamlDocument[] = [];
  const problems: Problem[] = [];
  // An empty stream is an empty array that still carries the stream's errors.
  if ("empty" in parsed) problems.push(...syntaxProblems(parsed.errors, 0, lineCounter));
  for (const [index, node] of parsed.entries()) {
    problems.push(...syntaxProblems(node.errors, index, lineCounter));
    if (node.errors.length > 0 || node.contents === null) continue;
    const value = toPlain(node);
    if ("error" in value) problems.push(problem([], value.error, { document: index }));
    else documents.push({ index, node, value: value.ok });
  }
  return { documents, problems, lineCounter };
}

function syntaxProblems(
  errors: readonly YAMLError[],
  document: number,
  lineCounter: LineCounter,
): Problem[] {
  return errors.map((error) => {
    const at = lineCounter.linePos(error.pos[0]);
    const message = `invalid YAML: ${firstLine(error.message)}`;
    return { ...problem([], message, { document }), line: at.line, column: at.col };
  });
}

function toPlain(node: Document): { ok: unknown } | { error: string } {
  try {
    // A low alias budget: a config never needs many, a "billion laughs" does.
    return { ok: node.toJS({ maxAliasCount: 50 }) };
  } catch (error) {
    return { error: `invalid YAML: ${(error as Error).message}` };
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
