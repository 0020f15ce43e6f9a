import { type PathSegment, pathPattern } from "./config-path";

/**
 * The one table of named lists: the field that identifies an item. Strategic
 * merge matches items by it and change classification names items by it.
 * Lists not named here are values: a patch replaces them whole.
 */
export const mergeKeys: Readonly<Record<string, string>> = {
  "machine.network.interfaces": "name",
  "machine.network.interfaces[].routes": "network",
};

/** The merge key of the list at `segments`, if it is a named list. */
export function mergeKeyAt(segments: readonly PathSegment[]): string | undefined {
  return mergeKeys[pathPattern(segments)];
}
