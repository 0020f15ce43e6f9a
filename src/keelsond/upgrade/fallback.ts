import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { BootControl, BootJournal, BootRecord, SlotName } from "../../machinery/boot";
import { KeelsonError } from "../../machinery/errors";
import type { EventLog } from "../events";
import type { BootedImage } from "../state";

/** The last time the node fell back from an upgrade, as Version, Health and BootState report it. */
export interface FallbackRecord {
  time: string;
  fromVersion: string;
  toVersion: string;
  why: string;
  acknowledged: boolean;
}

/**
 * Notices, at boot, that the boot loader gave up on an armed slot and came
 * back to the committed one: records when, from which version and why (from
 * the boot journal), and keeps saying so until an operator acknowledges it.
 * Noticing takes no code from the failed image: it runs on the image that
 * was fallen back to.
 */
export class Fallbacks {
  constructor(
    private readonly path: string,
    private readonly control: BootControl,
    private readonly journal: BootJournal,
    private readonly events: EventLog,
  ) {}

  /** Called once per boot; returns the fallback this boot is, if it is one. */
  detect(image: BootedImage): FallbackRecord | undefined {
    const state = this.control.state();
    if (state.trialFile || !state.running) return undefined;
    const running = state.slots.find((s) => s.slot === state.running);
    const failed = state.slots.find((s) => s.slot !== state.running);
    // Armed (preferred) yet spent: the loader fell past it to the committed slot.
    if (!running?.committed || !failed || failed.triesLeft !== 0 || !failed.preferred)
      return undefined;
    const record: FallbackRecord = {
      time: new Date().toISOString(),
      fromVersion: failed.version,
      toVersion: image.version,
      why: this.reasons(failed.slot, failed.version),
      acknowledged: false,
    };
    this.write(record);
    // The running slot is preferred again, so the next boot is not mistaken for another fallback.
    this.control.prefer(running.slot);
    this.events.record({
      kind: "upgrade",
      subject: "fallback",
      message: `fell back from ${record.fromVersion} (slot ${failed.slot.toUpperCase()}, all ${failed.triesDone ?? 0} tries spent) to ${record.toVersion}: ${record.why}`,
    });
    return record;
  }

  last(): FallbackRecord | undefined {
    if (!existsSync(this.path)) return undefined;
    try {
      return JSON.parse(readFileSync(this.path, "utf8")) as FallbackRecord;
    } catch {
      return undefined;
    }
  }

  unacknowledged(): FallbackRecord | undefined {
    const last = this.last();
    return last && !last.acknowledged ? last : undefined;
  }

  acknowledge(actor: string): string {
    const last = this.unacknowledged();
    if (!last)
      throw new KeelsonError(
        "failedPrecondition",
        "there is no unacknowledged fallback on this node",
      );
    this.write({ ...last, acknowledged: true });
    const message = `fallback from ${last.fromVersion} to ${last.toVersion} (${last.time}) acknowledged`;
    this.events.record({ kind: "upgrade", subject: "fallback", actor, message });
    return message;
  }

  /** Why the armed boots of `slot` ended, most common first: "agent exited with code 1 (3 boots)". */
  private reasons(slot: SlotName, version: string): string {
    const records = this.journal.read();
    const armedAt = records.findLastIndex((r) => r.event === "arm" && r.slot === slot);
    const failures = records
      .slice(armedAt + 1)
      .filter(
        (r): r is BootRecord & { why: string } =>
          r.slot === slot &&
          r.version === version &&
          (r.event === "reset" || r.event === "unhealthy") &&
          r.why !== undefined,
      );
    if (failures.length === 0)
      return "no boot of it said why (each ended before its agent could record a reason)";
    const counts = new Map<string, number>();
    for (const f of failures) counts.set(f.why, (counts.get(f.why) ?? 0) + 1);
    return [...counts]
      .sort((x, y) => y[1] - x[1])
      .map(([why, n]) => (n > 1 ? `${why} (${n} boots)` : why))
      .join("; ");
  }

  private write(record: FallbackRecord): void {
    mkdirSync(dirname(this.path), { recursive: true });
    writeFileSync(`${this.path}.tmp`, `${JSON.stringify(record)}\n`);
    renameSync(`${this.path}.tmp`, this.path);
  }
}
