import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  kernelOptions,
  metalLayout,
  type SlotName,
  type VerityRoot,
} from "../../../machinery/boot";
import {
  type BundleComponent,
  type BundleHeader,
  type BundleManifest,
  installToDirectory,
  verifyDirectory,
} from "../../../machinery/bundle";
import { KeelsonError } from "../../../machinery/errors";
import { DirectorySlots } from "../slot-store";

/**
 * A metal node's slots: each slot's root image on its own partition
 * (ROOT-A, ROOT-B), and everything else of it (kernel, initramfs, verity
 * parameters, manifest, trusted keys) in its folder on the ESP, where its
 * loader entry points. The folder's manifest is written last, so a slot
 * half-written (power lost) has none and is never taken for a whole one.
 */
export class PartitionSlots extends DirectorySlots {
  constructor(
    espSlots: string,
    private readonly rootDevice: (slot: SlotName) => string,
    capacityBytes: number,
  ) {
    super(espSlots, capacityBytes);
  }

  override install(
    bundle: string,
    header: BundleHeader,
    slot: SlotName,
    onBytes: (done: number) => void,
  ): Promise<void> {
    return installToDirectory(bundle, header, this.dir(slot), onBytes, this.toPartition(slot));
  }

  override verify(
    slot: SlotName,
    manifest: BundleManifest,
    onBytes: (done: number) => void,
  ): Promise<void> {
    return verifyDirectory(this.dir(slot), manifest, onBytes, this.toPartition(slot));
  }

  /** The slot's root by partition label, and the dm-verity parameters its root hash is checked with. */
  override entryOptions(slot: SlotName): string {
    let verity: VerityRoot;
    try {
      verity = JSON.parse(readFileSync(join(this.dir(slot), metalLayout.verity), "utf8"));
    } catch (error) {
      throw new KeelsonError(
        "failedPrecondition",
        `slot ${slot.toUpperCase()} has no readable ${metalLayout.verity}: ${(error as Error).message}`,
        "install a metal bundle into the slot again",
      );
    }
    return kernelOptions(slot, verity);
  }

  private toPartition(slot: SlotName) {
    return (component: BundleComponent) =>
      component.path === metalLayout.rootImage ? this.rootDevice(slot) : undefined;
  }
}
