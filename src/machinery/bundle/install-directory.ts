import {
  closeSync,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { KeelsonError } from "../errors";
import { type BundleHeader, digestOf, streamPayload } from "./bundle-file";
import type { BundleManifest } from "./manifest";

/** The manifest an installed image keeps beside its files: what it is, and what to check it against. */
export const installedManifest = "bundle-manifest.json";

/**
 * Writes a bundle's payload into a directory (a process node's slot), each
 * file streamed and synced, then the manifest. Whatever was there is
 * removed first: a half-written slot is never mistaken for a whole one,
 * because only a slot whose loader entry is armed ever boots.
 */
export async function installToDirectory(
  bundle: string,
  header: BundleHeader,
  dir: string,
  onBytes?: (done: number) => void,
): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let out: WriteStream | undefined;
  await streamPayload(
    bundle,
    header,
    {
      start: (component) => {
        const path = join(dir, component.path);
        mkdirSync(dirname(path), { recursive: true });
        out = createWriteStream(path, { mode: component.mode });
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
            syncFile(join(dir, component.path));
            resolve();
          });
        }),
    },
    onBytes,
  ).catch((error: unknown) => {
    out?.destroy();
    throw error;
  });
  writeFileSync(join(dir, installedManifest), `${JSON.stringify(header.manifest, null, 2)}\n`);
  syncFile(join(dir, installedManifest));
}

/** Reads every file back and checks it against the manifest: what the slot holds is what was signed. */
export async function verifyDirectory(
  dir: string,
  manifest: BundleManifest,
  onBytes?: (done: number) => void,
): Promise<void> {
  let done = 0;
  for (const component of manifest.components) {
    const { sha256, size } = await digestOf(join(dir, component.path)).catch(() => ({
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
