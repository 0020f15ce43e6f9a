import { join } from "node:path";
import {
  BootControl,
  BootJournal,
  FileVariables,
  LoaderDirectory,
  metalLayout,
  rootLabel,
  type SlotName,
  slotKernelFiles,
  slotNames,
} from "../../machinery/boot";
import { KeelsonError } from "../../machinery/errors";
import { keelsonVersion } from "../../machinery/version";
import type { EventLog } from "../events";
import type { BootedImage, Platform, StatePaths } from "../state";
import { partitionByLabel } from "./metal/block-partitions";
import { EfiVariables } from "./metal/efi-variables";
import { PartitionSlots } from "./metal/partition-slots";
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
 * the firmware's variables, one folder per slot. The metal image gives the
 * same three interfaces over the ESP (mounted by keelson-init), efivarfs and
 * its root partitions; nothing above them knows which.
 */
export function nodeBoot(paths: StatePaths, platform: Platform): NodeBoot {
  const slots =
    platform.platform === "process"
      ? new DirectorySlots(paths.slots, platform.boot.slotBytes)
      : metalSlots();
  const hasImage = (slot: SlotName) => slots.manifest(slot) !== undefined;
  const control =
    platform.platform === "process"
      ? new BootControl(new LoaderDirectory(paths.boot), new FileVariables(paths.efivars), hasImage)
      : new BootControl(
          new LoaderDirectory(metalLayout.espMount),
          new EfiVariables(metalLayout.efivars),
          hasImage,
          slotKernelFiles,
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
    const repaired = boot.control.repairRunning(boot.image.version, (slot) =>
      boot.slots.entryOptions(slot),
    );
    if (repaired) events.record({ kind: "upgrade", subject: "repair", message: repaired });
  } catch (error) {
    events.record({
      kind: "upgrade",
      subject: "repair",
      message: `could not check the boot entries: ${KeelsonError.from(error).message}`,
    });
  }
}

/**
 * The metal image's slots: root partitions found by label, the rest on the
 * ESP. A disk without them still boots the agent (to say what is wrong);
 * its slots hold nothing, so every upgrade is refused as too large.
 */
function metalSlots(): PartitionSlots {
  const bytes = slotNames.map((slot) => {
    try {
      return partitionByLabel(rootLabel(slot)).bytes;
    } catch {
      return 0;
    }
  });
  return new PartitionSlots(
    join(metalLayout.espMount, metalLayout.slotsDir),
    (slot) => partitionByLabel(rootLabel(slot)).device,
    Math.min(...bytes),
  );
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
