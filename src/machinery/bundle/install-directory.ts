import {
  closeSync,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { KeelsonError } from "../errors";
import { type BundleHeader, digestOf, streamPayload } from "./bundle-file";
import type { BundleComponent, BundleManifest } from "./manifest";

/** The manifest an installed image keeps beside its files: what it is, and what to check it against. */
export const installedManifest = "bundle-manifest.json";

/** The file in an image listing the public keys (PEM) it trusts to sign its successors. */
export const trustedKeysFile = "trusted-keys.pem";

/**
 * Where a component goes when not into the directory: a metal slot's root
 * image goes to its partition (a block device, written in place and read
 * back only as far as the image reaches).
 */
export type Elsewhere = (component: BundleComponent) => string | undefined;

/**
 * Writes a bundle's payload into a directory (a process node's slot, or a
 * metal slot's folder on the ESP), each file streamed and synced, then the
 * manifest. Whatever was there is removed first: a half-written slot is
 * never mistaken for a whole one, because only a slot whose loader entry is
 * armed ever boots.
 */
export async function installToDirectory(
  bundle: string,
  header: BundleHeader,
  dir: string,
  onBytes?: (done: number) => void,
  elsewhere: Elsewhere = () => undefined,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The old manifest's removal reaches the disk before any new byte does: a
  // power loss mid-write leaves an empty slot, never an old manifest over new data.
  syncFile(dirname(dir));
  let out: WriteStream | undefined;
  const pathOf = (component: BundleComponent) => elsewhere(component) ?? join(dir, component.path);
  await streamPayload(
    bundle,
    header,
    {
      start: (component) => {
        const away = elsewhere(component);
        const path = pathOf(component);
        mkdirSync(dirname(path), { recursive: true });
        // A partition is written in place: it exists, and is never truncated or created.
        out = createWriteStream(path, away ? { flags: "r+" } : { mode: component.mode });
        // A failed write (a full disk) is reported by its callback; the event must not crash the process.
        out.on("error", () => {});
      },
      chunk: (_component, data) =>
        new Promise<void>((resolve, reject) => {
          if (!out) return reject(new Error("no file open"));
          out.write(data, (error) => (error ? reject(error) : resolve()));
        }),
      end: (component) =>
        new Promise<void>((resolve, reject) => {
          out?.end((error?: Error | null) => {
            if (error) return reject(error);
            syncFile(pathOf(component));
            resolve();
          });
        }),
    },
    onBytes,
  ).catch((error: unknown) => {
    out?.destroy();
    throw error;
  });
  // Whole or absent, even on vfat after a power loss: written aside, synced, renamed into place.
  const manifest = join(dir, installedManifest);
  writeFileSync(`${manifest}.partial`, `${JSON.stringify(header.manifest, null, 2)}\n`);
  syncFile(`${manifest}.partial`);
  renameSync(`${manifest}.partial`, manifest);
  syncFile(dir);
}

/** Reads every file back and checks it against the manifest: what the slot holds is what was signed. */
export async function verifyDirectory(
  dir: string,
  manifest: BundleManifest,
  onBytes?: (done: number) => void,
  elsewhere: Elsewhere = () => undefined,
): Promise<void> {
  let done = 0;
  for (const component of manifest.components) {
    const away = elsewhere(component);
    const read = away ? digestOf(away, component.size) : digestOf(join(dir, component.path));
    const { sha256, size } = await read.catch(() => ({
      sha256: "",
      size: -1,
    }));
    if (sha256 !== component.sha256 || size !== component.size)
      throw new KeelsonError(
        "internal",
        `${component.path} in ${dir} does not read back as written (the disk lost or changed it)`,
        "the slot stays unarmed; try the upgrade again",
      );
    done += size;
    onBytes?.(done);
  }
}

function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
