import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";

import { join } from "node:path";
import { KeelsonError } from "../../machinery/errors";
import { writeFileDurably } from "./durable-write";

/** One stored configuration: the YAML as applied, and who applied it when. */
export interface Revision {
  revision: number;
  time: string;
  /** The client certificate subject of whoever applied it. */
  author: string;
  /** sha256 of `yaml`, checked on every read so a damaged file is never run. */
  digest: string;
  /** How it was applied: auto, no-reboot, staged, try, rollback. */
  mode: string;
  yaml: string;
  /** The parsed documents, so a boot reads JSON and never needs a YAML parser. */
  documents: unknown[];
}

/** Which revision runs, and which (if any) waits for the next boot or a confirmation. */
export interface Pointer {
  committed: number;
  staged?: number;
  /** The slot whose armed upgrade the staged revision goes with. */
  stagedFor?: string;
  trying?: { revision: number; previous: number; deadline: string };
}

/**
 * Every committed configuration, numbered, each in a file of its own; a
 * pointer file names the one in force. Both are written durably, revision
 * first, so a crash leaves either the old pointer (and an orphan revision
 * that is never used) or the new one with its revision whole.
 */
export class RevisionStore {
  private readonly revisionsDir: string;
  private readonly pointerPath: string;

  constructor(dir: string) {
    this.revisionsDir = join(dir, "revisions");
    this.pointerPath = join(dir, "pointer.json");
    mkdirSync(this.revisionsDir, { recursive: true, mode: 0o700 });
  }

  pointer(): Pointer | undefined {
    try {
      return JSON.parse(readFileSync(this.pointerPath, "utf8")) as Pointer;
    } catch {
      return undefined;
    }
  }

  setPointer(pointer: Pointer): void {
    writeFileDurably(this.pointerPath, `${JSON.stringify(pointer)}\n`);
  }

  /** Stores a new revision (not yet in force) and returns it. */
  add(yaml: string, documents: unknown[], author: string, mode: string): Revision {
    this.removeOrphans();
    const revision: Revision = {
      revision: this.inUse() + 1,
      time: new Date().toISOString(),
      author,
      digest: digestOf(yaml),
      mode,
      yaml,
      documents,
    };

    writeFileDurably(this.pathOf(revision.revision), `${JSON.stringify(revision)}\n`);
    return revision;
  }

  get(revision: number): Revision {
    let parsed: Revision;
    try {
      parsed = JSON.parse(readFileSync(this.pathOf(revision), "utf8")) as Revision;
    } catch {
      const known = this.numbers();
      throw new KeelsonError(
        "notFound",
        `configuration revision ${revision} does not exist`,
        known.length
          ? `revisions are ${known[0]}–${known.at(-1)}`
          : "no configuration has been applied yet",
      );
    }
    if (digestOf(parsed.yaml) !== parsed.digest) {
      throw new KeelsonError(
        "internal",
        `configuration revision ${revision} is damaged (digest mismatch)`,
      );
    }
    return parsed;
  }

  /** Every revision ever put in force, oldest first (orphans of a crash are left out). */
  list(): Revision[] {
    const inUse = this.inUse();
    return this.numbers()
      .filter((n) => n <= inUse)
      .map((n) => this.get(n));
  }

  /** The highest revision the pointer refers to; anything above is an orphan of a crash. */
  private inUse(): number {
    const pointer = this.pointer();
    return Math.max(pointer?.committed ?? 0, pointer?.staged ?? 0, pointer?.trying?.revision ?? 0);
  }

  private removeOrphans(): void {
    const inUse = this.inUse();
    for (const name of readdirSync(this.revisionsDir)) {
      const n = /^(\d+)\.json$/.exec(name)?.[1];
      if (name.includes(".tmp-") || (n !== undefined && Number(n) > inUse))
        rmSync(join(this.revisionsDir, name));
    }
  }

  private numbers(): number[] {
    return readdirSync(this.revisionsDir)
      .map((name) => /^(\d+)\.json$/.exec(name)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number)
      .sort((a, b) => a - b);
  }

  private pathOf(revision: number): string {
    return join(this.revisionsDir, `${String(revision).padStart(6, "0")}.json`);
  }
}

export function digestOf(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
