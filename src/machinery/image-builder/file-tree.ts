import { readFileSync } from "node:fs";
import type { TarEntry } from "../tar";

/** What goes at one path of an image's filesystem. */
export type FileSpec =
  | { type: "file"; content: Buffer | string; mode?: number }
  /** A file copied from the local machine (the agent's own binaries, say). */
  | { type: "file"; source: string; mode?: number }
  | { type: "dir"; mode?: number }
  | { type: "symlink"; target: string };

/** Absolute or relative paths in the image → what is there. */
export type FileTree = Record<string, FileSpec>;

/**
 * The tar entries of a layer holding `tree`: sorted by path so the order never
 * depends on how the tree was written, with every missing parent directory
 * added (0755), owned by root, mtime 0.
 */
export function treeEntries(tree: FileTree): TarEntry[] {
  const entries = new Map<string, TarEntry>();
  for (const [raw, spec] of Object.entries(tree)) {
    const path = normalise(raw);
    for (const parent of parents(path)) {
      if (!entries.has(parent) && !(parent in tree)) entries.set(parent, dir(parent, 0o755));
    }
    entries.set(path, toEntry(path, spec));
  }
  return [...entries.values()].sort((a, b) => compare(a.path, b.path));
}

function toEntry(path: string, spec: FileSpec): TarEntry {
  switch (spec.type) {
    case "dir":
      return dir(path, spec.mode ?? 0o755);
    case "symlink":
      return { path, type: "symlink", mode: 0o777, linkTarget: spec.target };
    case "file": {
      const data = "source" in spec ? readFileSync(spec.source) : Buffer.from(spec.content);
      return { path, type: "file", mode: spec.mode ?? 0o644, data };
    }
  }
}

function dir(path: string, mode: number): TarEntry {
  return { path, type: "dir", mode };
}

function normalise(path: string): string {
  const clean = path.split("/").filter((part) => part && part !== ".");
  if (clean.length === 0 || clean.includes("..")) {
    throw new TypeError(`image path "${path}" must name a file below the root`);
  }
  return clean.join("/");
}

function parents(path: string): string[] {
  const parts = path.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/** Byte order, not locale order: the same on every machine. */
function compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
