import { isPlainObject } from "../../json-patch/plain";

/**
 * Strategic-merge directives, as in Kubernetes: `$patch: delete` removes the
 * map key or named list item it sits in, `$patch: replace` makes its map (or,
 * as a list item, its list) replace the original instead of merging.
 */
export const directiveKey = "$patch";
export type Directive = "merge" | "replace" | "delete";
const directives: readonly string[] = ["merge", "replace", "delete"];

export function directiveOf(value: unknown): Directive | undefined | { invalid: unknown } {
  if (!isPlainObject(value) || !Object.hasOwn(value, directiveKey)) return undefined;
  const directive = value[directiveKey];
  return typeof directive === "string" && directives.includes(directive)
    ? (directive as Directive)
    : { invalid: directive };
}

export function withoutDirective(value: Record<string, unknown>): Record<string, unknown> {
  const { [directiveKey]: _, ...rest } = value;
  return rest;
}
