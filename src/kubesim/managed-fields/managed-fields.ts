import type { KubeObject } from "../api";
import { difference, type FieldSet, fromFieldsV1, toFieldsV1, union } from "./field-set";
import { changedFields, type ListRules } from "./object-fields";

/** One manager's fields, as metadata.managedFields holds them (fieldsV1 parsed into a set). */
export interface ManagerEntry {
  manager: string;
  operation: "Apply" | "Update";
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

export interface Writer {
  manager: string;
  apiVersion: string;
  subresource?: "status";
  time: string;
}

export function readEntries(obj: KubeObject | undefined): ManagerEntry[] {
  const raw = obj?.metadata.managedFields;
  if (!Array.isArray(raw)) return [];
  return raw.map((e: Record<string, unknown>) => ({
    manager: String(e.manager ?? ""),
    operation: e.operation === "Apply" ? "Apply" : "Update",
    apiVersion: String(e.apiVersion ?? ""),
    time: String(e.time ?? ""),
    ...(e.subresource ? { subresource: String(e.subresource) } : {}),
    fields: fromFieldsV1(e.fieldsV1),
  }));
}

/**
 * Writes the entries back as the API server orders them (Apply before
 * Update, then by time, manager, apiVersion, subresource), dropping those
 * that own nothing any more.
 */
export function writeEntries(obj: KubeObject, entries: readonly ManagerEntry[]): void {
  const kept = entries
    .filter((e) => e.fields.size > 0)
    .sort(
      (a, b) =>
        compare(a.operation, b.operation) ||
        compare(a.time.slice(0, 19), b.time.slice(0, 19)) ||
        compare(a.manager, b.manager) ||
        compare(a.apiVersion, b.apiVersion) ||
        compare(a.subresource ?? "", b.subresource ?? ""),
    );
  obj.metadata.managedFields = kept.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    fieldsType: "FieldsV1",
    fieldsV1: toFieldsV1(e.fields),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The entry of a manager for an operation (Apply: one per manager; Update: one per manager and version). */
export function entryOf(
  entries: ManagerEntry[],
  writer: Writer,
  operation: "Apply" | "Update",
): ManagerEntry {
  const same = (e: ManagerEntry) =>
    e.manager === writer.manager &&
    e.operation === operation &&
    (e.subresource ?? "") === (writer.subresource ?? "") &&
    (operation === "Apply" || e.apiVersion === writer.apiVersion);
  let entry = entries.find(same);
  if (!entry) {
    entry = {
      manager: writer.manager,
      operation,
      apiVersion: writer.apiVersion,
      time: writer.time,
      fields: new Set(),
    };
    if (writer.subresource) entry.subresource = writer.subresource;
    entries.push(entry);
  }
  entry.apiVersion = writer.apiVersion;
  entry.time = writer.time;
  return entry;
}

/**
 * Records an ordinary write (create, update, patch) the way the API server
 * does: the writer becomes the owner of every field it set to a new value,
 * other managers lose those, and fields the write removed belong to nobody.
 */
export function recordUpdate(
  before: KubeObject | undefined,
  after: KubeObject,
  writer: Writer,
  lists: ListRules,
): void {
  const entries = readEntries(before);
  const { changed, removed } = changedFields(before, after, lists, writer.subresource);
  if (changed.size === 0 && removed.size === 0) {
    writeEntries(after, entries);
    return;
  }
  const lost = union(changed, removed);
  for (const entry of entries) entry.fields = difference(entry.fields, lost);
  const own = entryOf(entries, writer, "Update");
  own.fields = union(own.fields, changed);
  writeEntries(after, entries);
}
