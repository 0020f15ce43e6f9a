import { isJsonObject } from "./object";

/** What JSON.stringify writes for a value inside an object: undefined and functions are skipped. */
function skipped(value: unknown): boolean {
  return value === undefined || typeof value === "function" || typeof value === "symbol";
}

/** JSON writes NaN and the infinities as null. */
function asWritten(value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}

function sameArray(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    // Inside arrays JSON writes skipped values as null.
    const x = skipped(a[i]) ? null : a[i];
    const y = skipped(b[i]) ? null : b[i];
    if (!sameJson(x, y)) return false;
  }
  return true;
}

function writtenKeys(obj: Record<string, unknown>): string[] {
  return Object.keys(obj).filter((key) => !skipped(obj[key]));
}

function sameObject(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = writtenKeys(a);
  const other = writtenKeys(b);
  if (keys.length !== other.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== other[i] || !sameJson(a[key], b[key])) return false;
  }
  return true;
}

/**
 * Whether two JSON values serialize to the same text, key order included,
 * without serializing them. Stored objects share unchanged subtrees with their
 * previous version, so most comparisons end at the first identical reference.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === "number" || typeof b === "number") return asWritten(a) === asWritten(b);
  if (Array.isArray(a)) return Array.isArray(b) && sameArray(a, b);
  if (Array.isArray(b)) return false;
  if (isJsonObject(a) && isJsonObject(b)) return sameObject(a, b);
  return false;
}
