import { isDeepStrictEqual } from "node:util";
import { isPlainObject, type PlainObject } from "../../json-patch/plain";
import { formatPath, type NamedItem, type PathSegment, pathPattern } from "../schema/config-path";
import { mergeKeyAt } from "../schema/merge-keys";
import { type ChangeEffect, effectOf } from "./change-effects";

/** One changed field; named list items are shown by name: `interfaces[name=eth0].mtu`. */
export interface ConfigChange {
  kind: string;
  path: string;
  op: "add" | "remove" | "replace";
  effect: ChangeEffect;
}

/**
 * What differs between two configs and what each difference needs. Pure:
 * the agent decides from it whether to apply live, stage, or refuse
 * (no-reboot mode), and dry-run shows it.
 */
export function classifyChange(
  before: readonly object[],
  after: readonly object[],
): ConfigChange[] {
  const kinds = [...new Set([...before, ...after].map((d) => String((d as PlainObject).kind)))];
  const changes: ConfigChange[] = [];
  for (const kind of kinds) {
    const find = (docs: readonly object[]) => docs.find((d) => (d as PlainObject).kind === kind);
    walk(find(before), find(after), [], [], (path, shown, op) =>
      changes.push({ kind, path: formatPath(shown), op, effect: effectOf(pathPattern(path)) }),
    );
  }
  return changes;
}

/** True when any change needs a reboot to take effect. */
export function needsReboot(changes: readonly ConfigChange[]): boolean {
  return changes.some((c) => c.effect === "reboot");
}

type Shown = (PathSegment | NamedItem)[];
type Report = (path: PathSegment[], shown: Shown, op: ConfigChange["op"]) => void;

function walk(a: unknown, b: unknown, path: PathSegment[], shown: Shown, report: Report): void {
  if (isDeepStrictEqual(a, b)) return;
  if (a === undefined || b === undefined) {
    report(path, shown, a === undefined ? "add" : "remove");
    return;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      walk(a[key], b[key], [...path, key], [...shown, key], report);
    return;
  }
  const key = mergeKeyAt(path);
  if (key && Array.isArray(a) && Array.isArray(b)) walkNamed(a, b, key, path, shown, report);
  else report(path, shown, "replace");
}

function walkNamed(
  a: unknown[],
  b: unknown[],
  key: string,
  path: PathSegment[],
  shown: Shown,
  report: Report,
): void {
  const nameOf = (item: unknown) => (isPlainObject(item) ? item[key] : undefined);
  const names = [...new Set([...a, ...b].map(nameOf))];
  for (const name of names) {
    const item = (list: unknown[]) => list.find((i) => nameOf(i) === name);
    walk(item(a), item(b), [...path, 0], [...shown, { key, name: String(name) }], report);
  }
}
