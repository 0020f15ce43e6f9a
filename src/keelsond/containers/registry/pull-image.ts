import { KeelsonError } from "../../../machinery/errors";
import {
  type Descriptor,
  hostArchitecture,
  type ImageIndex,
  type ImageManifest,
  indexTypes,
  manifestTypes,
  type OciImage,
  parseReference,
  sha256Digest,
} from "../../../machinery/oci";
import type { Containerd } from "../containerd/containerd";
import { storeImage } from "../images";
import { RegistryClient, type RegistryOptions } from "./registry-client";

const accept = [...manifestTypes, ...indexTypes].join(", ");

/**
 * Pulls an image from a registry into `namespace`: manifest (this machine's
 * platform from a multi-platform index), config and layers, each checked
 * against its digest, then stored and unpacked like an import. Returns the
 * image's full name.
 */
export async function pullImage(
  cd: Containerd,
  namespace: string,
  reference: string,
  options: RegistryOptions = {},
): Promise<string> {
  const ref = parseReference(reference);
  const registry = new RegistryClient(ref.registry, ref.repository, options);
  const blobs = new Map<string, Buffer>();
  const manifest = await fetchManifest(registry, ref.digest ?? ref.tag ?? "latest", blobs);
  const parsed = JSON.parse(blobs.get(manifest.digest)!.toString()) as ImageManifest;
  for (const part of [parsed.config, ...parsed.layers]) {
    blobs.set(part.digest, await fetchBlob(registry, part));
  }
  const image: OciImage = { name: ref.name, manifest, blobs };
  await storeImage(cd, namespace, image);
  return ref.name;
}

async function fetchManifest(
  registry: RegistryClient,
  reference: string,
  blobs: Map<string, Buffer>,
): Promise<Descriptor> {
  const response = await registry.get("manifests", reference, accept);
  const mediaType = String(response.headers["content-type"] ?? "")
    .split(";")[0]!
    .trim();
  const digest = sha256Digest(response.body);
  if (reference.startsWith("sha256:") && digest !== reference) {
    throw new KeelsonError(
      "invalidArgument",
      `manifest ${reference} from the registry does not match its digest`,
    );
  }
  const body = JSON.parse(response.body.toString()) as ImageIndex & ImageManifest;
  const type = body.mediaType || mediaType;
  if (indexTypes.includes(type)) {
    const arch = hostArchitecture();
    const pick = body.manifests.find(
      (m) => m.platform?.os === "linux" && m.platform.architecture === arch,
    );
    if (!pick) throw new KeelsonError("notFound", `the image has no linux/${arch} manifest`);
    return fetchManifest(registry, pick.digest, blobs);
  }
  if (!manifestTypes.includes(type)) {
    throw new KeelsonError("invalidArgument", `unsupported manifest media type "${type}"`);
  }
  blobs.set(digest, response.body);
  return { mediaType: type, digest, size: response.body.length };
}

async function fetchBlob(registry: RegistryClient, descriptor: Descriptor): Promise<Buffer> {
  const { body } = await registry.get("blobs", descriptor.digest);
  if (sha256Digest(body) !== descriptor.digest) {
    throw new KeelsonError(
      "invalidArgument",
      `blob ${descriptor.digest} from the registry does not match its digest`,
    );
  }
  return body;
}
