import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/**
 * A relative ESM import of a bundled file: static, dynamic, or for side
 * effects only, spaced or minified (`import"./chunks/x.mjs"`).
 */
const importPattern = /\b(?:from|import)\s*(?:\(\s*)?["'](\.\.?\/[^"']+\.mjs)["']/g;

/**
 * The files a bundled program loads: its entry point and every chunk it
 * reaches through relative imports, static or dynamic (the build splits
 * code into chunks and never deletes old ones, so dist/ holds more). Paths
 * are relative to the entry's folder.
 */
export function programFiles(entry: string): string[] {
  const root = dirname(entry);
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(path, "utf8");
    for (const match of text.matchAll(importPattern))
      visit(join(dirname(path), match[1] as string));
  };
  visit(entry);
  return [...seen].map((path) => relative(root, path)).sort();
}
