import { getOwn, isJsonObject, type KubeObject, StatusError, sameJson, setOwn } from "../api";
import { ancestors, difference, formatPath, intersection } from "./field-set";
import {
  entryOf,
  type ManagerEntry,
  readEntries,
  type Writer,
  writeEntries,
} from "./managed-fields";
import { fieldsOf, type ListRules, matchesKey, removeAt, valueAt } from "./object-fields";

export interface Conflict {
  path: string;
  entry: ManagerEntry;
}

/**
 * Server-side apply of a configuration by one manager: the configuration
 * is merged into the live object (keyed lists by key, set lists as sets,
 * everything else replaced), fields the manager applied before and no
 * longer does are removed unless someone else owns them, and the
 * manager's Apply entry becomes exactly the applied fields. A field
 * another manager owns and the configuration changes is a conflict: 409,
 * unless forced, which takes it over.
 */
export function applyConfiguration(
  live: KubeObject | undefined,
  config: KubeObject,
  writer: Writer,
  lists: ListRules,
  force: boolean,
): KubeObject {
  const entries = readEntries(live);
  const applied = fieldsOf(config, lists, writer.subresource);
  const own = entryOf(entries, writer, "Apply");
  const previous = new Set(own.fields);
  const merged = merge(live ?? {}, config, "", lists) as KubeObject;
  // Leaves conflict when the applied value differs; a map or keyed item only by appearing.
  const interior = new Set([...applied].flatMap(ancestors));
  const conflicts: Conflict[] = [];
  for (const entry of entries) {
    if (entry === own) continue;
    for (const path of intersection(entry.fields, applied)) {
      const before = valueAt(live, path);
      const differs = interior.has(path)
        ? before === undefined
        : !sameJson(before, valueAt(merged, path));
      if (differs) conflicts.push({ path, entry });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  for (const { path, entry } of conflicts) entry.fields.delete(path);
  for (const path of difference(previous, applied)) {
    if (!entries.some((e) => e !== own && e.fields.has(path))) removeAt(merged, path);
  }
  own.fields = applied;
  writeEntries(merged, entries);
  return merged;
}

/** Merges an applied value into the live one. */
function merge(live: unknown, applied: unknown, name: string, lists: ListRules): unknown {
  if (isJsonObject(applied) && isJsonObject(live)) {
    const out: Record<string, unknown> = { ...live };
    for (const [key, value] of Object.entries(applied))
      setOwn(out, key, merge(getOwn(live, key), value, key, lists));
    return out;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const rule = lists(name);
    if (rule.kind === "union")
      return [...live, ...applied.filter((v) => !live.some((l) => sameJson(l, v)))];
    if (rule.kind === "mergeByKey") {
      const out = [...live];
      for (const item of applied) {
        const key = isJsonObject(item) ? { [rule.key]: item[rule.key] } : undefined;
        const at = key ? out.findIndex((l) => matchesKey(l, key)) : -1;
        if (at >= 0) out[at] = merge(out[at], item, "", lists);
        else out.push(item);
      }
      return out;
    }
  }
  return structuredClone(applied);
}

/** The API server's 409 for apply conflicts, with one cause per field. */
function conflictError(conflicts: Conflict[]): StatusError {
  const byManager = new Map<string, string[]>();
  for (const { path, entry } of conflicts) {
    const who = describe(entry);
    byManager.set(who, [...(byManager.get(who) ?? []), formatPath(path)]);
  }
  const managers = [...byManager.keys()].sort();
  const count = `${conflicts.length} conflict${conflicts.length === 1 ? "" : "s"}`;
  const message =
    conflicts.length === 1
      ? `Apply failed with ${count}: conflict with ${managers[0]}: ${byManager.get(managers[0] ?? "")?.[0]}`
      : `Apply failed with ${count}: ${managers
          .map(
            (m) =>
              `conflicts with ${m}:\n${(byManager.get(m) ?? []).map((p) => `- ${p}`).join("\n")}`,
          )
          .join("\n")}`;
  return new StatusError(409, "Conflict", message, {
    causes: conflicts.map(({ path, entry }) => ({
      reason: "FieldManagerConflict",
      message: `conflict with ${describe(entry)}`,
      field: formatPath(path),
    })),
  });
}

/** A manager as conflicts name it: `"kubectl" using v1`, `"mgr" with subresource "status"`. */
function describe(entry: ManagerEntry): string {
  let text = JSON.stringify(entry.manager);
  if (entry.subresource) text += ` with subresource ${JSON.stringify(entry.subresource)}`;
  if (entry.operation === "Update") text += ` using ${entry.apiVersion}`;
  return text;
}
