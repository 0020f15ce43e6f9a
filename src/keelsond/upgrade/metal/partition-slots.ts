import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  kernelOptions,
  metalLayout,
  parseVerityParameter,
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

/** What the agent asks of the kernel it runs on. */
export interface RunningKernel {
  /** Its command line, as the loader entry gave it. */
  cmdline(): string;
  /** Drops clean pages from the page cache: the machine is the agent's alone. */
  dropCaches(): void;
}

export const linuxKernel: RunningKernel = {
  cmdline: () => readFileSync("/proc/cmdline", "utf8"),
  dropCaches: () => writeFileSync("/proc/sys/vm/drop_caches", "1"),
};

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
    private readonly kernel: RunningKernel = linuxKernel,
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
    try {
      // What was just written is still in the page cache: drop it, so the read-back reads the disk.
      this.kernel.dropCaches();
    } catch {
      // Best effort: a read-back from the cache still checks what the write left.
    }
    return verifyDirectory(this.dir(slot), manifest, onBytes, this.toPartition(slot));
  }

  /** The slot's root by partition label, and the dm-verity parameters its root hash is checked with. */
  override entryOptions(slot: SlotName): string {
    let verity: VerityRoot;
    try {
      verity = JSON.parse(readFileSync(join(this.dir(slot), metalLayout.verity), "utf8"));
    } catch (error) {
      // The running slot's parameters are also on the command line it booted with: its repair needs no ESP file.
      const running = this.runningVerity(slot);
      if (running) return kernelOptions(slot, running);
      throw new KeelsonError(
        "failedPrecondition",
        `slot ${slot.toUpperCase()} has no readable ${metalLayout.verity}: ${(error as Error).message}`,
        "install a metal bundle into the slot again",
      );
    }
    return kernelOptions(slot, verity);
  }

  /** The verity parameters SLOT booted with, when it is the running slot. */
  private runningVerity(slot: SlotName): VerityRoot | undefined {
    let cmdline: string;
    try {
      cmdline = this.kernel.cmdline();
    } catch {
      return undefined;
    }
    const parameter = (name: string) =>
      new RegExp(`(?:^|\\s)${name.replace(".", "\\.")}=(\\S+)`).exec(cmdline)?.[1];
    if (parameter("keelson.slot") !== slot) return undefined;
    return parseVerityParameter(parameter("keelson.verity") ?? "");
  }

  private toPartition(slot: SlotName) {
    return (component: BundleComponent) =>
      component.path === metalLayout.rootImage ? this.rootDevice(slot) : undefined;
  }
}
