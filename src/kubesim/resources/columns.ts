import { field, type KubeObject } from "../api";
import type { Column } from "./resource-type";

/** kubectl's duration.HumanDuration, which the server uses for the Age column. */
export function humanAge(seconds: number): string {
  if (seconds < -1) return "<invalid>";
  const s = Math.max(0, Math.floor(seconds));
  const m = Math.floor(s / 60);
  const h = Math.floor(s / 3600);
  const d = Math.floor(s / 86400);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

export function ageOf(timestamp: unknown, now: number): string {
  if (typeof timestamp !== "string") return "<unknown>";
  return humanAge((now - Date.parse(timestamp)) / 1000);
}

export const nameColumn: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
  priority: 0,
  cell: (obj) => obj.metadata.name ?? "",
};

export const ageColumn: Column = {
  name: "Age",
  type: "string",
  description:
    "CreationTimestamp is a timestamp representing the server time when this object was created.",
  priority: 0,
  cell: (obj, now) => ageOf(obj.metadata.creationTimestamp, now),
};

/** A column that prints one field, or `fallback` when it is absent. */
export function fieldColumn(
  name: string,
  path: readonly string[],
  options: { type?: Column["type"]; priority?: number; fallback?: string | number } = {},
): Column {
  return {
    name,
    type: options.type ?? "string",
    priority: options.priority ?? 0,
    cell: (obj) => {
      const value = field(obj, ...path);
      if (value === undefined || value === null) return options.fallback ?? "<none>";
      return typeof value === "object" ? JSON.stringify(value) : (value as string | number);
    },
  };
}

export function countColumn(name: string, path: readonly string[]): Column {
  return {
    name,
    type: "integer",
    priority: 0,
    cell: (obj) => {
      const value = field(obj, ...path);
      return value && typeof value === "object" ? Object.keys(value).length : 0;
    },
  };
}

export function intOf(obj: KubeObject, ...path: string[]): number {
  const value = field(obj, ...path);
  return typeof value === "number" ? value : 0;
}

export function containerList(
  obj: KubeObject,
  ...path: string[]
): { name?: string; image?: string }[] {
  const value = field(obj, ...path);
  return Array.isArray(value) ? (value as { name?: string; image?: string }[]) : [];
}
