/** One line of an edit script: kept (" "), removed ("-") or added ("+"). */
export interface DiffLine {
  tag: " " | "-" | "+";
  text: string;
  /** 0-based line numbers in the old and new text. */
  a: number;
  b: number;
}

/**
 * The shortest edit script between two line lists, by longest common
 * subsequence after trimming the common ends. Configs are a few hundred
 * lines, so the quadratic table is small; beyond a bound it falls back to
 * "remove all, add all", which is still a correct diff.
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: DiffLine[] = [];
  for (let i = 0; i < start; i++) out.push({ tag: " ", text: a[i] as string, a: i, b: i });
  out.push(...middle(a, b, start, endA, endB));
  for (let i = endA, j = endB; i < a.length; i++, j++)
    out.push({ tag: " ", text: a[i] as string, a: i, b: j });
  return out;
}

function middle(
  a: readonly string[],
  b: readonly string[],
  start: number,
  endA: number,
  endB: number,
): DiffLine[] {
  const n = endA - start;
  const m = endB - start;
  const out: DiffLine[] = [];
  if (n * m > 4_000_000) {
    for (let i = start; i < endA; i++) out.push({ tag: "-", text: a[i] as string, a: i, b: start });
    for (let j = start; j < endB; j++) out.push({ tag: "+", text: b[j] as string, a: endA, b: j });
    return out;
  }
  // lcs[i][j]: common subsequence length of a[start+i..endA) and b[start+j..endB).
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (lcs[i] as Uint32Array)[j] =
        a[start + i] === b[start + j]
          ? at(lcs, i + 1, j + 1) + 1
          : Math.max(at(lcs, i + 1, j), at(lcs, i, j + 1));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const ai = start + i;
    const bj = start + j;
    if (i < n && j < m && a[ai] === b[bj]) {
      out.push({ tag: " ", text: a[ai] as string, a: ai, b: bj });
      i++;
      j++;
    } else if (i < n && (j === m || at(lcs, i + 1, j) >= at(lcs, i, j + 1))) {
      // Removals first, as diff -u prints them.
      out.push({ tag: "-", text: a[ai] as string, a: ai, b: bj });
      i++;
    } else {
      out.push({ tag: "+", text: b[bj] as string, a: ai, b: bj });
      j++;
    }
  }
  return out;
}

function at(table: Uint32Array[], i: number, j: number): number {
  return table[i]?.[j] ?? 0;
}
