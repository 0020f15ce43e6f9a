import { type DiffLine, diffLines } from "./line-diff";

export interface UnifiedDiffOptions {
  fromLabel?: string;
  toLabel?: string;
  /** Unchanged lines shown around each change. */
  context?: number;
}

/** A unified diff (as `diff -u`), or "" when the texts are equal. */
export function unifiedDiff(
  before: string,
  after: string,
  options: UnifiedDiffOptions = {},
): string {
  const lines = diffLines(splitLines(before), splitLines(after));
  const hunks = groupHunks(lines, options.context ?? 3);
  if (hunks.length === 0) return "";
  const header = [`--- ${options.fromLabel ?? "a"}`, `+++ ${options.toLabel ?? "b"}`];
  return `${[...header, ...hunks.flatMap(formatHunk)].join("\n")}\n`;
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  return text.replace(/\n$/, "").split("\n");
}

function groupHunks(lines: DiffLine[], context: number): DiffLine[][] {
  const changed = lines.flatMap((line, i) => (line.tag === " " ? [] : [i]));
  const hunks: DiffLine[][] = [];
  let from = -1;
  let to = -1;
  for (const i of changed) {
    if (from >= 0 && i - context <= to + context) {
      to = i;
      continue;
    }
    if (from >= 0) hunks.push(lines.slice(Math.max(0, from - context), to + context + 1));
    from = i;
    to = i;
  }
  if (from >= 0) hunks.push(lines.slice(Math.max(0, from - context), to + context + 1));
  return hunks;
}

function formatHunk(hunk: DiffLine[]): string[] {
  const first = hunk[0] as DiffLine;
  const oldCount = hunk.filter((l) => l.tag !== "+").length;
  const newCount = hunk.filter((l) => l.tag !== "-").length;
  // diff -u numbers from 1, and an empty range starts at the line before it.
  const oldStart = oldCount === 0 ? first.a : first.a + 1;
  const newStart = newCount === 0 ? first.b : first.b + 1;
  return [
    `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`,
    ...hunk.map((l) => `${l.tag}${l.text}`),
  ];
}
