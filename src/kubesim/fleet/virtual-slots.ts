import { KeelsonError } from "../../machinery/errors";

export type SlotName = "A" | "B";

export interface VirtualSlot {
  name: SlotName;
  version: string;
  /** Booted and passed the health gate. */
  committed: boolean;
  /** Boots left while armed and not committed; -1 when the slot has no counter. */
  triesLeft: number;
  triesDone: number;
}

/**
 * The A/B slots of a virtual node, with the agent's rules: an upgrade writes
 * and arms the inactive slot (never while this boot is on trial, which would
 * overwrite the only committed image), the next boot takes the armed slot and
 * spends a try, the boot is committed once the node is healthy, and a cancel
 * disarms what is staged so the next boot keeps the running image.
 */
export class VirtualSlots {
  private readonly slots: Record<SlotName, VirtualSlot>;
  private runningSlot: SlotName = "A";
  /** The last time the loader gave up an armed slot, as the agent's BootState reports it. */
  lastFallback: { time: Date; fromVersion: string; toVersion: string; why: string } | undefined;
  private nextSlot: SlotName = "A";

  constructor(version: string) {
    this.slots = {
      A: { name: "A", version, committed: true, triesLeft: -1, triesDone: 0 },
      B: { name: "B", version: "", committed: false, triesLeft: -1, triesDone: 0 },
    };
  }

  get running(): VirtualSlot {
    return this.slots[this.runningSlot];
  }

  get next(): SlotName {
    return this.nextSlot;
  }

  get all(): VirtualSlot[] {
    return [this.slots.A, this.slots.B];
  }

  /** Writes `version` to the inactive slot and arms it with `tries` boots. */
  stage(version: string, tries: number): SlotName {
    if (!this.running.committed)
      throw new KeelsonError(
        "failedPrecondition",
        "this boot is on trial: the other slot holds the only committed image, which an upgrade would overwrite",
        "wait until this boot commits (keelctl slots), then upgrade",
      );
    const slot: SlotName = this.runningSlot === "A" ? "B" : "A";
    this.slots[slot] = { name: slot, version, committed: false, triesLeft: tries, triesDone: 0 };
    this.nextSlot = slot;
    return slot;
  }

  /** Disarms a staged slot; returns the version that will not boot now ("" if none). */
  disarm(): string {
    if (this.nextSlot === this.runningSlot) return "";
    const staged = this.slots[this.nextSlot];
    this.nextSlot = this.runningSlot;
    staged.triesLeft = 0;
    return staged.version;
  }

  /** A boot: the armed slot, if any, runs on trial and spends a try; with none left, the committed one boots. */
  boot(): void {
    let slot = this.slots[this.nextSlot];
    if (!slot.committed && slot.triesLeft === 0) {
      this.nextSlot = slot.name === "A" ? "B" : "A";
      const back = this.slots[this.nextSlot];
      this.lastFallback = {
        time: new Date(),
        fromVersion: slot.version,
        toVersion: back.version,
        why: `${slot.version} spent its ${slot.triesDone} tries without passing its health gate`,
      };
      slot = back;
    }
    this.runningSlot = slot.name;
    if (slot.committed) return;
    slot.triesLeft--;
    slot.triesDone++;
  }

  /** The health gate passed: this boot is committed and keeps booting. */
  commit(): void {
    Object.assign(this.running, { committed: true, triesLeft: -1 });
  }
}
