import { KeelsonError } from "../../../machinery/errors";
import type { OciImage } from "../../../machinery/oci";
import { archiveFiles } from "./archive-files";
import { dockerArchiveImages } from "./docker-archive";
import { ociArchiveImages } from "./oci-archive";

/**
 * The images in an OCI archive (a tar of an OCI layout) or a Docker archive
 * (`docker save`), either optionally gzipped. Archives holding both formats,
 * as `docker save` does since 25, are read as OCI.
 */
export function readImageArchive(archive: Buffer, what = "the image archive"): OciImage[] {
  const files = archiveFiles(archive, what);
  const images = files.has("index.json")
    ? ociArchiveImages(files, what)
    : files.has("manifest.json")
      ? dockerArchiveImages(files, what)
      : undefined;
  if (!images) {
    throw new KeelsonError(
      "invalidArgument",
      `${what} is neither an OCI archive (no index.json) nor a Docker archive (no manifest.json)`,
    );
  }
  if (images.length === 0)
    throw new KeelsonError("invalidArgument", `${what} holds no named images`);
  return images;
}
