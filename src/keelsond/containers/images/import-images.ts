import { readImageArchive } from "../archive";
import type { Containerd } from "../containerd/containerd";
import { storeImage } from "./store-image";

/**
 * Imports every image of an OCI or Docker archive into `namespace`, unpacked
 * and ready to run. Returns the names imported. An archive that is not one
 * fails with invalidArgument before containerd is touched.
 */
export async function importImages(
  cd: Containerd,
  namespace: string,
  archive: Buffer,
): Promise<string[]> {
  const images = readImageArchive(archive);
  for (const image of images) await storeImage(cd, namespace, image);
  return images.map((image) => image.name);
}
