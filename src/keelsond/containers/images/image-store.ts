import { KeelsonError } from "../../../machinery/errors";
import {
  type ImageConfig,
  type ImageManifest,
  indexTypes,
  parseReference,
} from "../../../machinery/oci";
import type { CallContext, Containerd } from "../containerd/containerd";
import { readBlob } from "../content";
import { chainIds } from "./chain-id";
import { fromContainerd } from "./containerd-descriptor";

export interface ImageSummary {
  name: string;
  /** The manifest digest the name points at. */
  digest: string;
  mediaType: string;
  createdAt?: Date;
}

export async function listImages(cd: Containerd, namespace: string): Promise<ImageSummary[]> {
  const response = await cd.call("list images", (s, o) => s.images.list({}, o), { namespace });
  return response.images
    .map((image) => ({
      name: image.name,
      digest: image.target?.digest ?? "",
      mediaType: image.target?.mediaType ?? "",
      createdAt: image.createdAt ? new Date(Number(image.createdAt.seconds) * 1000) : undefined,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The image a reference names ("keelson/x:1" is stored as docker.io/keelson/x:1), if containerd holds it. */
export async function findImage(
  cd: Containerd,
  namespace: string,
  reference: string,
): Promise<ImageSummary | undefined> {
  const name = parseReference(reference).name;
  return (await listImages(cd, namespace)).find((image) => image.name === name);
}

/** Removes an image record; containerd collects its content and snapshots once unreferenced. */
export async function removeImage(cd: Containerd, namespace: string, name: string): Promise<void> {
  const full = parseReference(name).name;
  await cd.call(`remove image ${full}`, (s, o) => s.images.delete({ name: full, sync: true }, o), {
    namespace,
  });
}

export interface StoredImage {
  name: string;
  manifest: ImageManifest;
  config: ImageConfig;
  /** The snapshot holding all its layers: the parent of a container's root. */
  topChainId: string;
}

/** An image's manifest and config as containerd stores them. */
export async function getImage(
  cd: Containerd,
  context: CallContext,
  name: string,
): Promise<StoredImage> {
  const full = parseReference(name).name;
  const response = await cd.call(
    `get image ${full}`,
    (s, o) => s.images.get({ name: full }, o),
    context,
  );
  const target = fromContainerd(response.image?.target);
  if (indexTypes.includes(target.mediaType)) {
    throw new KeelsonError(
      "failedPrecondition",
      `image ${full} is a multi-platform index; import or pull one platform`,
    );
  }
  const manifest = JSON.parse(
    (await readBlob(cd, context, target.digest)).toString(),
  ) as ImageManifest;
  const config = JSON.parse(
    (await readBlob(cd, context, manifest.config.digest)).toString(),
  ) as ImageConfig;
  const topChainId = chainIds(config.rootfs.diff_ids).at(-1) ?? "";
  return { name: full, manifest, config, topChainId };
}
