import type { ImageManifest } from "../../../machinery/oci";

/** The snapshotter Keelson unpacks into: overlayfs, which every supported kernel has. */
export const snapshotter = "overlayfs";

/**
 * containerd's garbage collector keeps content only while something refers
 * to it through these labels: image → manifest (by target), manifest →
 * config and layers, config → the unpacked snapshot.
 */
export function manifestRefLabels(manifest: ImageManifest): Record<string, string> {
  const labels: Record<string, string> = {
    "containerd.io/gc.ref.content.config": manifest.config.digest,
  };
  manifest.layers.forEach((layer, i) => {
    labels[`containerd.io/gc.ref.content.l.${i}`] = layer.digest;
  });
  return labels;
}

export function snapshotRefLabel(chainId: string): Record<string, string> {
  return { [`containerd.io/gc.ref.snapshot.${snapshotter}`]: chainId };
}

/** Lets containerd's own unpacker skip work for layers Keelson unpacked. */
export function uncompressedLabel(diffId: string): Record<string, string> {
  return { "containerd.io/uncompressed": diffId };
}
