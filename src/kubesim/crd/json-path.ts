import { isJsonObject } from "../api";

/**
 * Evaluates the simple JSONPath that printer columns use (`.spec.replicas`,
 * `.status.conditions[0].type`, `.metadata.labels.app`). Filters are not supported.
 */
export function evaluateJsonPath(obj: unknown, path: string): unknown {
  const steps =
    path
      .replace(/^\{?\$?\.?/, "")
      .replace(/\}$/, "")
      .match(/[^.[\]]+|\[\d+\]/g) ?? [];
  let current: unknown = obj;
  for (const step of steps) {
    if (step.startsWith("[")) {
      const index = Number(step.slice(1, -1));
      current = Array.isArray(current) ? current[index] : undefined;
    } else {
      current = isJsonObject(current) ? current[step] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}
