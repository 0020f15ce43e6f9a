/** The media types Keelson writes, and the Docker ones it also reads. */
export const mediaTypes = {
  ociIndex: "application/vnd.oci.image.index.v1+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
  ociLayer: "application/vnd.oci.image.layer.v1.tar",
  ociLayerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  dockerLayer: "application/vnd.docker.image.rootfs.diff.tar",
  dockerLayerGzip: "application/vnd.docker.image.rootfs.diff.tar.gzip",
} as const;

export const indexTypes: readonly string[] = [mediaTypes.ociIndex, mediaTypes.dockerManifestList];
export const manifestTypes: readonly string[] = [mediaTypes.ociManifest, mediaTypes.dockerManifest];

/** The annotation that names an image inside an OCI layout's index.json. */
export const refNameAnnotation = "org.opencontainers.image.ref.name";

/** containerd's annotation for the full image name (OCI only keeps the tag). */
export const containerdImageNameAnnotation = "io.containerd.image.name";
