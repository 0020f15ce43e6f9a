import type { KernelFiles, SlotName } from "./boot-control";

/**
 * The metal image's layout: the contract between the image builder, which
 * lays it out, and the agent, which upgrades it in place.
 */
export const metalLayout = {
  /** Where keelson-init mounts the ESP (KEELSON-ESP). */
  espMount: "/mnt/boot",
  /** Under the ESP, a folder per slot: its kernel, initramfs, verity parameters, manifest and keys. */
  slotsDir: "keelson",
  /** The firmware's variables, as the kernel shows them. */
  efivars: "/sys/firmware/efi/efivars",
  /** The bundle component written to the slot's root partition; every other one goes to the ESP. */
  rootImage: "root.img",
  /** The bundle component that holds a slot's VerityRoot (JSON). */
  verity: "verity.json",
} as const;

/** A slot's root partition, found by its GPT partition name. */
export const rootLabel = (slot: SlotName) => `KEELSON-ROOT-${slot.toUpperCase()}`;

/** A slot's kernel and initramfs, as paths on the ESP for its loader entry. */
export const slotKernelFiles = (slot: SlotName): KernelFiles => ({
  linux: `/${metalLayout.slotsDir}/${slot}/vmlinuz`,
  initrd: `/${metalLayout.slotsDir}/${slot}/initrd`,
});

/** What the initramfs needs to map a verified root (keelson.verity= on its command line). */
export interface VerityRoot {
  dataBlocks: number;
  hashStartBlock: number;
  rootHash: string;
  salt: string;
}

export const verityParameter = (v: VerityRoot) =>
  `${v.dataBlocks}:${v.hashStartBlock}:${v.rootHash}:${v.salt}`;

/** The VerityRoot a kernel command line's keelson.verity= names, if it is well formed. */
export function parseVerityParameter(value: string): VerityRoot | undefined {
  const match = /^(\d+):(\d+):([0-9a-f]{64}):([0-9a-f]+|-)$/.exec(value);
  if (!match) return undefined;
  const [, dataBlocks, hashStartBlock, rootHash = "", salt = ""] = match;
  return {
    dataBlocks: Number(dataBlocks),
    hashStartBlock: Number(hashStartBlock),
    rootHash,
    salt,
  };
}

/** The kernel command line of a slot: its root by label, verified, the console on the serial port. */
export function kernelOptions(slot: SlotName, verity: VerityRoot): string {
  return [
    "console=ttyS0",
    // Warnings and worse only: every line on the serial console is time at boot under emulation.
    "quiet",
    "panic=5",
    "random.trust_cpu=on",
    `keelson.root=${rootLabel(slot)}`,
    `keelson.verity=${verityParameter(verity)}`,
  ].join(" ");
}
