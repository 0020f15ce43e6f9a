import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname } from "node:path";

/** One line of a node's boot journal. */
export interface BootRecord {
  at: string;
  /**
   * arm: an upgrade armed the slot; boot: the boot loader started an entry
   * on trial; reset: that boot ended without the agent's say (crash,
   * watchdog, missing image); unhealthy: the agent gave up on the health
   * gate; commit: the gate passed.
   */
  event: "arm" | "boot" | "reset" | "unhealthy" | "commit";
  /** The loader entry (file name as booted). */
  entry: string;
  slot: string;
  version: string;
  why?: string;
}

/** Past this size the journal keeps its newer half: reasons are wanted for the last few boots only. */
const maxBytes = 64 * 1024;

/**
 * Why the boots of an armed slot ended, in one place for the two writers
 * that know: the firmware side (the process launcher, as pstore does for a
 * panic on metal) and the agent. The agent reads it to say why it fell back.
 */
export class BootJournal {
  constructor(readonly path: string) {}

  append(record: Omit<BootRecord, "at">): void {
    mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify({ at: new Date().toISOString(), ...record })}\n`);
    this.trim();
  }

  read(): BootRecord[] {
    let text: string;
    try {
      text = readFileSync(this.path, "utf8");
    } catch {
      return [];
    }
    return text.split("\n").flatMap((line) => {
      try {
        const record = JSON.parse(line) as BootRecord;
        return typeof record.event === "string" && typeof record.slot === "string" ? [record] : [];
      } catch {
        return [];
      }
    });
  }

  private trim(): void {
    if (statSync(this.path).size <= maxBytes) return;
    const lines = readFileSync(this.path, "utf8").split("\n");
    const kept = lines.slice(Math.floor(lines.length / 2)).join("\n");
    writeFileSync(`${this.path}.tmp`, kept);
    renameSync(`${this.path}.tmp`, this.path);
  }
}
