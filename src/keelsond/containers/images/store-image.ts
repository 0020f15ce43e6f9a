import { KeelsonError } from "../../../machinery/errors";
import {
  type ImageConfig,
  type ImageManifest,
  type OciImage,
  parseReference,
} from "../../../machinery/oci";
import type { CallContext, Containerd } from "../containerd/containerd";
import { withLease } from "../containerd/lease";
import { setBlobLabels, writeBlob } from "../content";
import { toContainerd } from "./containerd-descriptor";
import { manifestRefLabels, snapshotRefLabel, uncompressedLabel } from "./gc-labels";
import { unpackLayers } from "./unpack";

/**
 * Puts an in-memory image into containerd: blobs into the content store,
 * layers unpacked into snapshots, and an image record pointing at the
 * manifest (replacing any image of that name). All under one lease, so
 * nothing is collected half-way.
 */
export async function storeImage(
  cd: Containerd,
  namespace: string,
  image: OciImage,
): Promise<void> {
  await withLease(cd, { namespace }, async (context) => {
    const manifest = parseBlob<ImageManifest>(image, image.manifest.digest);
    const config = parseBlob<ImageConfig>(image, manifest.config.digest);
    for (const [i, layer] of manifest.layers.entries()) {
      const diffId = config.rootfs?.diff_ids?.[i];
      await writeBlob(
        cd,
        context,
        layer,
        blob(image, layer.digest),
        diffId ? uncompressedLabel(diffId) : {},
      );
    }
    await writeBlob(cd, context, manifest.config, blob(image, manifest.config.digest));
    await writeBlob(
      cd,
      context,
      image.manifest,
      blob(image, image.manifest.digest),
      manifestRefLabels(manifest),
    );
    const top = await unpackLayers(cd, context, manifest, config);
    await setBlobLabels(cd, context, manifest.config.digest, snapshotRefLabel(top));
    await putImageRecord(cd, context, image);
  });
}

async function putImageRecord(
  cd: Containerd,
  context: CallContext,
  image: OciImage,
): Promise<void> {
  // Stored by its canonical name, the one getImage and createContainer look up.
  const name = parseReference(image.name).name;
  const record = { name, labels: {}, target: toContainerd(image.manifest) };
  try {
    await cd.call(
      `create image ${image.name}`,
      (s, o) => s.images.create({ image: record }, o),
      context,
    );
  } catch (error) {
    if (!(error instanceof KeelsonError && error.code === "alreadyExists")) throw error;
    await cd.call(
      `update image ${image.name}`,
      (s, o) => s.images.update({ image: record }, o),
      context,
    );
  }
}

function blob(image: OciImage, digest: string): Buffer {
  const data = image.blobs.get(digest);
  if (!data) throw new KeelsonError("invalidArgument", `image ${image.name} lacks blob ${digest}`);
  return data;
}

function parseBlob<T>(image: OciImage, digest: string): T {
  try {
    return JSON.parse(blob(image, digest).toString("utf8")) as T;
  } catch (error) {
    if (error instanceof KeelsonError) throw error;
    throw new KeelsonError("invalidArgument", `image ${image.name}: blob ${digest} is not JSON`);
  }
}
