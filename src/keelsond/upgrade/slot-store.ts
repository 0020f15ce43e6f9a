import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SlotName } from "../../machinery/boot/boot-control";
import {
  type BundleHeader,
  type BundleManifest,
  installedManifest,
  installToDirectory,
  manifestSchema,
  trustedKeysFile,
  verifyDirectory,
} from "../../machinery/bundle";

/** Where a platform keeps its two images: the agent writes through this, never around it. */
export interface SlotStore {
  /** Bytes a slot holds: a bundle whose payload is larger is refused before anything is written. */
  readonly capacityBytes: number;
  install(
    bundle: string,
    header: BundleHeader,
    slot: SlotName,
    onBytes: (done: number) => void,
  ): Promise<void>;
  /** Reads the slot back and checks every file against the manifest. */
  verify(slot: SlotName, manifest: BundleManifest, onBytes: (done: number) => void): Promise<void>;
  /** The manifest of what a slot holds, if it holds a whole image. */
  manifest(slot: SlotName): BundleManifest | undefined;
  /** The keys an image trusts to sign its successors (PEM), shipped inside it. */
  trustedKeys(slot: SlotName): string[];
  /** What the slot's loader entry passes on the command line besides the slot (root device, dm-verity). */
  entryOptions(slot: SlotName): string;
}

/** A process node's slots: a folder each, `<state>/slots/a` and `<state>/slots/b`. */
export class DirectorySlots implements SlotStore {
  constructor(
    private readonly root: string,
    readonly capacityBytes: number,
  ) {}

  dir(slot: SlotName): string {
    return join(this.root, slot);
  }

  install(
    bundle: string,
    header: BundleHeader,
    slot: SlotName,
    onBytes: (done: number) => void,
  ): Promise<void> {
    return installToDirectory(bundle, header, this.dir(slot), onBytes);
  }

  verify(slot: SlotName, manifest: BundleManifest, onBytes: (done: number) => void): Promise<void> {
    return verifyDirectory(this.dir(slot), manifest, onBytes);
  }

  manifest(slot: SlotName): BundleManifest | undefined {
    const path = join(this.dir(slot), installedManifest);
    if (!existsSync(path)) return undefined;
    try {
      const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
      return parsed.success ? parsed.data : undefined;
    } catch {
      // Unreadable (a damaged disk): the slot holds no whole image.
      return undefined;
    }
  }

  trustedKeys(slot: SlotName): string[] {
    try {
      return splitPem(readFileSync(join(this.dir(slot), trustedKeysFile), "utf8"));
    } catch {
      return [];
    }
  }

  entryOptions(_slot: SlotName): string {
    return "";
  }
}

export function splitPem(text: string): string[] {
  return [...text.matchAll(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g)].map(
    (m) => `${m[0]}\n`,
  );
}
