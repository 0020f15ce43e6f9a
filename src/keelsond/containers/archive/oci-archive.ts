import { KeelsonError } from "../../../machinery/errors";
import {
  containerdImageNameAnnotation,
  type Descriptor,
  hostArchitecture,
  type ImageIndex,
  type ImageManifest,
  indexTypes,
  isDigest,
  manifestTypes,
  type OciImage,
  parseReference,
  refNameAnnotation,
  sha256Digest,
} from "../../../machinery/oci";
import { parseJson } from "./archive-files";

/**
 * The images of an OCI layout (index.json + blobs/sha256), one per manifest
 * the index names; a multi-platform index contributes this machine's platform.
 * Every referenced blob must be present and match its digest.
 */
export function ociArchiveImages(files: Map<string, Buffer>, what: string): OciImage[] {
  const index = parseJson(files.get("index.json"), `${what}: index.json`) as ImageIndex;
  if (!Array.isArray(index.manifests)) {
    throw new KeelsonError("invalidArgument", `${what}: index.json lists no manifests`);
  }
  return index.manifests.map((descriptor) => {
    const annotations = descriptor.annotations ?? {};
    const ref = annotations[containerdImageNameAnnotation] ?? annotations[refNameAnnotation];
    if (!ref) {
      throw new KeelsonError("invalidArgument", `${what}: a manifest in index.json has no name`);
    }
    const blobs = new Map<string, Buffer>();
    const manifest = resolveManifest(files, descriptor, blobs, what);
    return { name: parseReference(ref).name, manifest, blobs };
  });
}

function resolveManifest(
  files: Map<string, Buffer>,
  descriptor: Descriptor,
  blobs: Map<string, Buffer>,
  what: string,
): Descriptor {
  const data = blob(files, descriptor, what);
  if (indexTypes.includes(descriptor.mediaType)) {
    const nested = parseJson(data, `${what}: ${descriptor.digest}`) as ImageIndex;
    const arch = hostArchitecture();
    const pick =
      nested.manifests?.find((m) => m.platform?.architecture === arch) ?? nested.manifests?.[0];
    if (!pick) throw new KeelsonError("invalidArgument", `${what}: an index lists no manifests`);
    return resolveManifest(files, pick, blobs, what);
  }
  if (!manifestTypes.includes(descriptor.mediaType)) {
    throw new KeelsonError(
      "invalidArgument",
      `${what}: unsupported media type ${descriptor.mediaType}`,
    );
  }
  blobs.set(descriptor.digest, data);
  const manifest = parseJson(data, `${what}: manifest ${descriptor.digest}`) as ImageManifest;
  for (const part of [manifest.config, ...(manifest.layers ?? [])]) {
    blobs.set(part.digest, blob(files, part, what));
  }
  return { mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size };
}

/** A blob by descriptor, checked against its digest: archives are untrusted input. */
export function blob(files: Map<string, Buffer>, descriptor: Descriptor, what: string): Buffer {
  if (!descriptor || !isDigest(descriptor.digest)) {
    throw new KeelsonError("invalidArgument", `${what}: a descriptor has no valid sha256 digest`);
  }
  const data = files.get(`blobs/sha256/${descriptor.digest.slice(7)}`);
  if (!data)
    throw new KeelsonError("invalidArgument", `${what}: blob ${descriptor.digest} is missing`);
  if (sha256Digest(data) !== descriptor.digest) {
    throw new KeelsonError("invalidArgument", `${what}: blob ${descriptor.digest} is corrupt`);
  }
  return data;
}
