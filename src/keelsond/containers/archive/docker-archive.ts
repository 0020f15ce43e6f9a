import { KeelsonError } from "../../../machinery/errors";
import {
  describe,
  type ImageManifest,
  mediaTypes,
  type OciImage,
  parseReference,
} from "../../../machinery/oci";
import { parseJson } from "./archive-files";

interface DockerManifestEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/**
 * The images of a `docker save` archive (manifest.json + config + layer tars),
 * rewritten as OCI images: the config and layers keep their bytes and
 * digests, only a manifest is added. Images without a tag are skipped.
 */
export function dockerArchiveImages(files: Map<string, Buffer>, what: string): OciImage[] {
  const entries = parseJson(files.get("manifest.json"), `${what}: manifest.json`);
  if (!Array.isArray(entries)) {
    throw new KeelsonError("invalidArgument", `${what}: manifest.json is not a list of images`);
  }
  return (entries as DockerManifestEntry[]).flatMap((entry) =>
    (entry.RepoTags ?? []).map((tag) => dockerImage(files, entry, parseReference(tag).name, what)),
  );
}

function dockerImage(
  files: Map<string, Buffer>,
  entry: DockerManifestEntry,
  name: string,
  what: string,
): OciImage {
  const blobs = new Map<string, Buffer>();
  const add = (path: string, mediaType: (data: Buffer) => string) => {
    const data = files.get(path);
    if (!data) throw new KeelsonError("invalidArgument", `${what}: ${path} is missing`);
    const descriptor = describe(mediaType(data), data);
    blobs.set(descriptor.digest, data);
    return descriptor;
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.ociManifest,
    config: add(entry.Config, () => mediaTypes.ociConfig),
    layers: (entry.Layers ?? []).map((path) =>
      add(path, (data) => (isGzip(data) ? mediaTypes.ociLayerGzip : mediaTypes.ociLayer)),
    ),
  };
  const data = Buffer.from(JSON.stringify(manifest));
  const descriptor = describe(mediaTypes.ociManifest, data);
  blobs.set(descriptor.digest, data);
  return { name, manifest: descriptor, blobs };
}

function isGzip(data: Buffer): boolean {
  return data[0] === 0x1f && data[1] === 0x8b;
}
