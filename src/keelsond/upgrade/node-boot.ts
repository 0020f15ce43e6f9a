import {
  BootControl,
  BootJournal,
  FileVariables,
  LoaderDirectory,
  type SlotName,
} from "../../machinery/boot";
import { KeelsonError } from "../../machinery/errors";
import { keelsonVersion } from "../../machinery/version";
import type { EventLog } from "../events";
import type { BootedImage, Platform, StatePaths } from "../state";
import { DirectorySlots, type SlotStore } from "./slot-store";

/** A node's boot: the loader entries, the images they boot, and why armed boots ended. */
export interface NodeBoot {
  control: BootControl;
  slots: SlotStore;
  journal: BootJournal;
  image: BootedImage;
}

/**
 * The process platform's boot: a folder plays the boot partition, another
 * the firmware's variables, one folder per slot. The image (a later
 * platform) gives the same three interfaces over the ESP, efivarfs and its
 * partitions; nothing above them knows which.
 */
export function nodeBoot(paths: StatePaths, platform: Platform): NodeBoot {
  const slots = new DirectorySlots(paths.slots, platform.boot.slotBytes);
  const control = new BootControl(
    new LoaderDirectory(paths.boot),
    new FileVariables(paths.efivars),
    (slot) => slots.manifest(slot) !== undefined,
  );
  return {
    control,
    slots,
    journal: new BootJournal(paths.bootJournal),
    image: booted(control, slots),
  };
}

/**
 * Keeps the running, committed slot bootable: a damaged or missing entry for
 * it is rewritten (at boot, and before every power action) and said in the
 * events.
 */
export function repairBootEntry(boot: NodeBoot, events: EventLog): void {
  try {
    const repaired = boot.control.repairRunning(boot.image.version);
    if (repaired) events.record({ kind: "upgrade", subject: "repair", message: repaired });
  } catch (error) {
    events.record({
      kind: "upgrade",
      subject: "repair",
      message: `could not check the boot entries: ${KeelsonError.from(error).message}`,
    });
  }
}

/** What this boot runs: the slot the loader chose and the version its image says it is. */
function booted(control: BootControl, slots: SlotStore): BootedImage {
  const state = control.state();
  const slot: SlotName = state.running ?? "a";
  const entry = state.slots.find((s) => s.slot === slot);
  return {
    version: slots.manifest(slot)?.version ?? entry?.version ?? keelsonVersion,
    slot: slot.toUpperCase(),
    onTrial: state.trialFile !== undefined,
  };
}
