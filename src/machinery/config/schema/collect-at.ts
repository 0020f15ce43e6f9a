import type { PathSegment } from "./config-path";

/**
 * Every value at a path pattern (`machine.network.interfaces[].routes`), with
 * its concrete path: `[]` steps into each item of a list.
 */
export function collectAt(
  value: unknown,
  pattern: string,
): { segments: PathSegment[]; value: unknown }[] {
  let found: { segments: PathSegment[]; value: unknown }[] = [{ segments: [], value }];
  for (const step of pattern.split(/\.|(?=\[\])/)) {
    found = found.flatMap(({ segments, value: current }) => {
      if (step === "[]")
        return Array.isArray(current)
          ? current.map((item, i) => ({ segments: [...segments, i], value: item }))
          : [];
      if (typeof current !== "object" || current === null || Array.isArray(current)) return [];
      if (!Object.hasOwn(current, step)) return [];
      return [{ segments: [...segments, step], value: (current as Record<string, unknown>)[step] }];
    });
  }
  return found;
}
