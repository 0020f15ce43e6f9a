import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  agentEntryPoint,
  BootJournal,
  bumpedFileName,
  entryId,
  FileVariables,
  LoaderDirectory,
  type LoaderEntry,
  nodeBootLayout,
  type SlotName,
  selectEntry,
  slotOf,
} from "../../../machinery/boot";
import { installedManifest } from "../../../machinery/bundle";

/** What the firmware hands control to: an image in a slot, by way of one loader entry. */
export interface BootTarget {
  slot: SlotName;
  version: string;
  /** The agent to start. */
  program: string;
  /** The entry as it was chosen (systemd-boot 252's id) and, when counted, as renamed. */
  entry: string;
  countedAs?: string;
}

/**
 * The firmware and systemd-boot of a process node, playing them by
 * systemd-boot 252's own rules: entries whose image is missing do not
 * exist; the one-shot variable is consumed; the entry is chosen by
 * one-shot, default variable, loader.conf's default, then order; a counted
 * entry is renamed (a try spent) before its image starts; and the loader's
 * variables tell the booted system what it booted.
 */
export class Firmware {
  private readonly esp: LoaderDirectory;
  private readonly variables: FileVariables;
  private readonly slots: string;
  readonly journal: BootJournal;

  constructor(stateDir: string) {
    const layout = nodeBootLayout(stateDir);
    this.esp = new LoaderDirectory(layout.esp);
    this.variables = new FileVariables(layout.efivars);
    this.slots = layout.slots;
    this.journal = new BootJournal(layout.journal);
  }

  /** The entry the next power-on boots, without booting it. */
  choose(): LoaderEntry | undefined {
    const entries = this.esp.entries().filter((e) => {
      const slot = slotOf(e);
      return slot !== undefined && existsSync(join(this.slots, slot, installedManifest));
    });
    return selectEntry(entries, this.esp.loaderConf(), this.variables);
  }

  /** Chooses what to boot and spends its try; undefined when nothing can boot. */
  boot(): BootTarget | undefined {
    const oneShot = this.variables.get("LoaderEntryOneShot");
    const chosen = this.choose();
    // Read once and gone, whether it matched or not.
    if (oneShot !== undefined) this.variables.set("LoaderEntryOneShot", undefined);
    // Variables of the last boot do not survive a reset.
    this.variables.set("LoaderBootCountPath", undefined);
    const slot = chosen && slotOf(chosen);
    if (!chosen || !slot) {
      this.variables.set("LoaderEntrySelected", undefined);
      return undefined;
    }
    this.variables.set("LoaderEntrySelected", entryId(chosen));
    const target: BootTarget = {
      slot,
      version: chosen.fields.version ?? "",
      program: join(this.slots, slot, agentEntryPoint),
      entry: chosen.file,
    };
    if (chosen.triesLeft === undefined) return target;
    const next = bumpedFileName(chosen);
    this.esp.rename(chosen.file, next);
    this.variables.set("LoaderBootCountPath", `\\loader\\entries\\${next}`);
    this.journal.append({ event: "boot", entry: next, slot, version: target.version });
    return { ...target, countedAs: next };
  }
}
