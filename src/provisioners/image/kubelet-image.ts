import type { FileTree } from "../../machinery/image-builder";
import type { OciImage } from "../../machinery/oci";
import { programImage } from "./program-image";

/** The simulated kubelet a node's kubelet slot runs where no real kubelet can be installed. */
export const kubeletImageName = (kubernetesVersion: string) =>
  `keelson/simulated-kubelet:v${kubernetesVersion.replace(/^v/, "")}`;

/**
 * The simulated kubelet (kubesim's, speaking to a Kubernetes API over HTTPS)
 * as a container image named like a kubelet image: its tag is the
 * Kubernetes version it reports. It runs as root, as a kubelet does.
 */
export function kubeletImage(
  kubernetesVersion: string,
  extraLayers?: FileTree[],
  gzip = false,
): OciImage {
  const name = kubeletImageName(kubernetesVersion);
  return programImage({
    name,
    program: "kubesim",
    args: ["kubelet"],
    title: "keelson-simulated-kubelet",
    version: kubernetesVersion,
    // It knows which image it is, so it reports that image's version as a real kubelet would.
    env: { KUBELET_IMAGE: name },
    ...(extraLayers ? { extraLayers } : {}),
    ...(gzip ? { gzip } : {}),
  });
}
