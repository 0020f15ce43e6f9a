import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ImageIndex, mediaTypes, type OciImage, refNameAnnotation } from "../oci";
import { type TarEntry, writeTar } from "../tar";

/**
 * The files of an OCI image layout (oci-layout, index.json, blobs/sha256/…),
 * with the image named in index.json the way `ctr import` and skopeo read it.
 */
export function layoutFiles(image: OciImage): Map<string, Buffer> {
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: mediaTypes.ociIndex,
    manifests: [{ ...image.manifest, annotations: { [refNameAnnotation]: image.name } }],
  };
  const files = new Map<string, Buffer>([
    ["oci-layout", Buffer.from(JSON.stringify({ imageLayoutVersion: "1.0.0" }))],
    ["index.json", Buffer.from(JSON.stringify(index))],
  ]);
  for (const digest of [...image.blobs.keys()].sort()) {
    files.set(`blobs/sha256/${digest.slice("sha256:".length)}`, image.blobs.get(digest)!);
  }
  return files;
}

/** Writes the image as an OCI layout directory. */
export function writeOciLayout(dir: string, image: OciImage): void {
  mkdirSync(join(dir, "blobs", "sha256"), { recursive: true });
  for (const [path, data] of layoutFiles(image)) writeFileSync(join(dir, path), data);
}

/** The image as an OCI archive: a tar of its layout, what import and `docker load` take. */
export function ociArchive(image: OciImage): Buffer {
  const entries: TarEntry[] = [
    { path: "blobs", type: "dir", mode: 0o755 },
    { path: "blobs/sha256", type: "dir", mode: 0o755 },
  ];
  for (const [path, data] of layoutFiles(image)) {
    entries.push({ path, type: "file", mode: 0o644, data });
  }
  return writeTar(entries);
}
