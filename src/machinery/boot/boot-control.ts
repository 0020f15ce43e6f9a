import { KeelsonError } from "../errors";
import type { LoaderDirectory } from "./loader-directory";
import {
  entryFileName,
  formatEntryText,
  type LoaderEntry,
  parseEntryFileName,
} from "./loader-entry";
import type { LoaderVariables } from "./loader-variables";
import { selectEntry } from "./select-entry";

export type SlotName = "a" | "b";
export const slotNames: readonly SlotName[] = ["a", "b"];

/** What the boot partition says about one slot. */
export interface SlotEntry {
  slot: SlotName;
  version: string;
  /** No counter: it booted and passed the health gate. */
  committed: boolean;
  /** Sorts first: the slot an upgrade armed or a rollback chose. */
  preferred: boolean;
  /** Its image is there to boot (the loader skips an entry whose image is missing). */
  bootable: boolean;
  triesLeft?: number;
  triesDone?: number;
  file: string;
}

export interface BootState {
  slots: SlotEntry[];
  /** The slot this boot came from (from LoaderEntrySelected). */
  running?: SlotName;
  /** The entry file this boot spent a try of (LoaderBootCountPath): set while on trial. */
  trialFile?: string;
  /** The slot the next boot takes, by the boot loader's own rules. */
  next?: SlotName;
}

/** Preferred slot's sort-key sorts first; systemd-boot orders by sort-key before version. */
const preferredKey = "keelson-1";
const otherKey = "keelson-2";
/** loader.conf's default: covers both slots, so ordering (not an id that a rename breaks) decides. */
export const defaultPattern = "keelson-*";

/**
 * The one interface to a node's boot slots, written once against the Boot
 * Loader Specification: one entry per slot (`keelson-a.conf`,
 * `keelson-b+3.conf`), boot counting in the file name, preference by
 * sort-key. The same code drives real systemd-boot on the image and the
 * process launcher that plays it.
 */
export class BootControl {
  constructor(
    private readonly esp: LoaderDirectory,
    private readonly variables: LoaderVariables,
    /** Whether a slot holds an image to boot: systemd-boot drops an entry whose kernel is missing. */
    private readonly hasImage: (slot: SlotName) => boolean = () => true,
    /** Where a slot's kernel and initramfs sit on the ESP, for a machine that boots them (metal). */
    private readonly kernelFiles?: (slot: SlotName) => KernelFiles,
  ) {}

  state(): BootState {
    const entries = this.esp.entries();
    const slots = slotNames.flatMap((slot) => {
      const entry = entries.find((e) => slotOf(e) === slot);
      return entry ? [toSlotEntry(slot, entry, this.hasImage(slot))] : [];
    });
    // The id systemd-boot 252 reports is the file name as it was before the try was spent.
    const selected = parseEntryFileName(this.variables.get("LoaderEntrySelected") ?? "")?.name;
    const countPath = this.variables.get("LoaderBootCountPath");
    const runningEntry = entries.find((e) => e.name.toLowerCase() === selected?.toLowerCase());
    const nextEntry = selectEntry(
      entries.filter((e) => {
        const slot = slotOf(e);
        return slot !== undefined && this.hasImage(slot);
      }),
      this.esp.loaderConf(),
      this.variables,
    );
    // systemd-boot writes the path with backslashes: \loader\entries\<file>.
    const trialFile = countPath?.split(/[\\/]/).at(-1);
    // A damaged entry still names its slot in its file name (Keelson's own convention).
    const running = (runningEntry && slotOf(runningEntry)) ?? slotNamed(selected);
    return {
      slots,
      ...(running ? { running } : {}),
      ...(trialFile && entries.some((e) => e.file === trialFile) ? { trialFile } : {}),
      ...(nextEntry ? { next: slotOf(nextEntry) } : {}),
    };
  }

  /** Makes sure loader.conf boots by order, with no menu. */
  ensureLoaderConf(): void {
    const conf = this.esp.loaderConf();
    if (conf.default !== defaultPattern || conf.timeout !== "0")
      this.esp.writeLoaderConf(`timeout 0\ndefault ${defaultPattern}\neditor no\n`);
  }

  /**
   * A new node's boot partition: loader.conf and one committed entry for the
   * image it was installed with, the other slot empty.
   */
  provision(slot: SlotName, version: string, options = ""): void {
    this.ensureLoaderConf();
    for (const entry of this.esp.entries()) this.esp.remove(entry.file);
    this.esp.writeEntry(
      entryFileName(`keelson-${slot}`),
      entryText(slot, version, preferredKey, options, this.kernelFiles?.(slot)),
    );
  }

  /** Removes a slot's entry before its image is rewritten: a half-written slot can never boot. */
  invalidate(slot: SlotName): void {
    for (const entry of this.esp.entries()) if (slotOf(entry) === slot) this.esp.remove(entry.file);
  }

  /**
   * Arms a slot: its entry, with `tries` boots to pass the health gate,
   * sorts first; the other slot's entry stays as the fallback.
   */
  arm(slot: SlotName, version: string, tries: number, options: string): string {
    if (!Number.isInteger(tries) || tries < 1 || tries > 15)
      throw new KeelsonError("invalidArgument", `tries must be 1 to 15, not ${tries}`);
    this.ensureLoaderConf();
    this.invalidate(slot);
    this.setKey(other(slot), otherKey);
    const file = entryFileName(`keelson-${slot}`, tries);
    this.esp.writeEntry(
      file,
      entryText(slot, version, preferredKey, options, this.kernelFiles?.(slot)),
    );
    return file;
  }

  /** Commits the running boot: its entry loses the counter, so it boots from now on without trial. */
  commitRunning(): string {
    const { trialFile } = this.state();
    if (!trialFile)
      throw new KeelsonError("failedPrecondition", "this boot is not on trial: nothing to commit");
    const entry = this.esp.entries().find((e) => e.file === trialFile);
    if (!entry)
      throw new KeelsonError("failedPrecondition", `the running entry ${trialFile} is gone`);
    const committed = entryFileName(entry.name);
    this.esp.rename(entry.file, committed);
    this.variables.set("LoaderBootCountPath", undefined);
    return committed;
  }

  /**
   * Rewrites the running slot's entry when it is missing or unreadable (a
   * damaged boot partition), so a committed boot stays bootable. Only a
   * committed boot repairs: one on trial has the other slot to fall to.
   * Returns what it repaired, if anything.
   */
  repairRunning(
    version: string,
    options: (slot: SlotName) => string = () => "",
  ): string | undefined {
    const state = this.state();
    const slot = state.running;
    if (!slot || state.trialFile) return undefined;
    const entries = this.esp.entries();
    const good = entries.find((e) => slotOf(e) === slot);
    if (good?.fields.version) return undefined;
    const damaged = entries.filter((e) => slotNamed(e.name) === slot);
    for (const entry of damaged) this.esp.remove(entry.file);
    const otherPreferred = state.slots.some((s) => s.slot !== slot && s.preferred);
    const file = entryFileName(`keelson-${slot}`);
    this.esp.writeEntry(
      file,
      entryText(
        slot,
        version,
        otherPreferred ? otherKey : preferredKey,
        options(slot),
        this.kernelFiles?.(slot),
      ),
    );
    const was = damaged.map((e) => e.file).join(", ") || "no entry";
    return `the entry of the running slot ${slot.toUpperCase()} was damaged (${was}): rewrote ${file} for ${version}`;
  }

  /**
   * Disarms the other slot when it is armed and not committed (a staged
   * upgrade): its entry goes, so the next boot keeps the running image.
   * Returns the version disarmed, if any. A boot on trial has nothing to keep.
   */
  disarm(): string | undefined {
    const state = this.state();
    if (!state.running || state.trialFile) return undefined;
    const staged = state.slots.find((s) => s.slot !== state.running && !s.committed);
    if (!staged) return undefined;
    this.invalidate(staged.slot);
    this.setKey(state.running, preferredKey);
    return staged.version;
  }

  /** Rollback: the other slot, which must hold a committed image, boots next. */
  prefer(slot: SlotName): SlotEntry {
    const target = this.state().slots.find((s) => s.slot === slot);
    if (!target?.committed)
      throw new KeelsonError(
        "failedPrecondition",
        `slot ${slot.toUpperCase()} holds no committed image to roll back to${target ? ` (${target.version} never passed its health gate)` : ""}`,
        "roll back only after an upgrade has committed; see keelctl slots",
      );
    this.setKey(slot, preferredKey);
    this.setKey(other(slot), otherKey);
    return target;
  }

  private setKey(slot: SlotName, key: string): void {
    const entry = this.esp.entries().find((e) => slotOf(e) === slot);
    if (!entry || entry.fields["sort-key"] === key) return;
    this.esp.writeEntry(entry.file, formatEntryText({ ...entry.fields, "sort-key": key }));
  }
}

export function slotOf(entry: LoaderEntry): SlotName | undefined {
  const match = /(?:^|\s)keelson\.slot=([ab])(?:\s|$)/.exec(entry.fields.options ?? "");
  return match?.[1] === "a" || match?.[1] === "b" ? match[1] : undefined;
}

/** The slot a Keelson entry name ("keelson-b", "keelson-b+2-1.conf") stands for. */
function slotNamed(name: string | undefined): SlotName | undefined {
  const match = /^keelson-([ab])(?:[+.]|$)/i.exec(name ?? "");
  const slot = match?.[1]?.toLowerCase();
  return slot === "a" || slot === "b" ? slot : undefined;
}

export function other(slot: SlotName): SlotName {
  return slot === "a" ? "b" : "a";
}

export function entryText(
  slot: SlotName,
  version: string,
  sortKey: string,
  options: string,
  kernel?: KernelFiles,
): string {
  return formatEntryText({
    title: `Keelson ${version} (slot ${slot.toUpperCase()})`,
    version,
    "sort-key": sortKey,
    ...(kernel ? { linux: kernel.linux, initrd: kernel.initrd } : {}),
    options: `keelson.slot=${slot}${options ? ` ${options}` : ""}`,
  });
}

/** A slot's kernel and initramfs, as paths on the ESP (the entry's linux and initrd lines). */
export interface KernelFiles {
  linux: string;
  initrd: string;
}

function toSlotEntry(slot: SlotName, entry: LoaderEntry, bootable: boolean): SlotEntry {
  return {
    slot,
    version: entry.fields.version ?? "",
    committed: entry.triesLeft === undefined,
    preferred: entry.fields["sort-key"] === preferredKey,
    bootable,
    ...(entry.triesLeft !== undefined
      ? { triesLeft: entry.triesLeft, triesDone: entry.triesDone ?? 0 }
      : {}),
    file: entry.file,
  };
}
