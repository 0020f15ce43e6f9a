import type { Problem } from "../validate/problem";
import { locate } from "./locate";
import type { YamlSource } from "./parse-yaml";

/** Adds line and column to problems found in the plain values of `source`'s documents. */
export function locateProblems(problems: readonly Problem[], source: YamlSource): Problem[] {
  return problems.map((p) => {
    if (p.line !== undefined) return p;
    const document = source.documents.find((d) => d.index === (p.document ?? 0));
    const at = document && locate(document.node, p.segments, source.lineCounter);
    return { ...p, line: at?.line ?? 1, column: at?.column ?? 1 };
  });
}
