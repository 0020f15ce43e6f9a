import type { KubeObject } from "./object";
import { badRequest } from "./status-error";

export interface FieldRequirement {
  path: string;
  negate: boolean;
  value: string;
}

/**
 * Parses `fieldSelector`. Only `=`, `==` and `!=` exist for fields, and each
 * resource supports a fixed set of paths; anything else is a 400, as on a real server.
 */
export function parseFieldSelector(
  text: string | null | undefined,
  supported: readonly string[],
): FieldRequirement[] {
  if (!text) return [];
  return text
    .split(",")
    .filter((term) => term.trim() !== "")
    .map((term) => {
      const match = /^\s*([A-Za-z0-9._]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
      if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
      const path = match[1] ?? "";
      if (!supported.includes(path)) {
        throw badRequest(`field label not supported: ${path}`);
      }
      return { path, negate: match[2] === "!=", value: match[3] ?? "" };
    });
}

export function matchesFields(reqs: FieldRequirement[], obj: KubeObject): boolean {
  for (const req of reqs) {
    const actual = fieldValue(obj, req.path);
    if ((actual === req.value) === req.negate) return false;
  }
  return true;
}

function fieldValue(obj: KubeObject, path: string): string {
  let current: unknown = obj;
  for (const key of path.split(".")) {
    if (typeof current !== "object" || current === null) return "";
    current = (current as Record<string, unknown>)[key];
  }
  if (current === undefined || current === null) return "";
  return String(current);
}
