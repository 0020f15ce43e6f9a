import { collectAt } from "../schema/collect-at";
import { mergeKeys } from "../schema/merge-keys";
import { type Problem, problem } from "./problem";

/**
 * Items of named lists are identified by their merge key, so patches and
 * change reports can name them: two items with one name are ambiguous.
 */
export function namedListProblems(value: unknown, document: number): Problem[] {
  const problems: Problem[] = [];
  for (const [pattern, key] of Object.entries(mergeKeys)) {
    for (const list of collectAt(value, pattern)) {
      if (!Array.isArray(list.value)) continue;
      const seen = new Set<unknown>();
      for (const [i, item] of list.value.entries()) {
        const name = (item as Record<string, unknown> | null)?.[key];
        if (name !== undefined && seen.has(name)) {
          const message = `duplicate ${key} ${JSON.stringify(name)}; each item needs its own`;
          problems.push(problem([...list.segments, i, key], message, { document }));
        }
        seen.add(name);
      }
    }
  }
  return problems;
}
