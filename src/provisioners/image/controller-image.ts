import type { FileTree } from "../../machinery/image-builder";
import type { OciImage } from "../../machinery/oci";
import { programImage, writeImage } from "./program-image";

/** The name deploy/controller.yaml runs. */
export const controllerImageName = (version: string) => `keelson/upgrade-controller:${version}`;

export interface ControllerImageOptions {
  version: string;
  /** Layers on top (a test's credentials, say). */
  extraLayers?: FileTree[];
  /** Compress the layers: smaller to ship, slower to build. */
  gzip?: boolean;
}

/** The upgrade controller's container image, running as nobody. */
export function controllerImage(options: ControllerImageOptions): OciImage {
  return programImage({
    name: controllerImageName(options.version),
    program: "keelson-controller",
    title: "keelson-upgrade-controller",
    version: options.version,
    user: "65534:65534",
    ...(options.extraLayers ? { extraLayers: options.extraLayers } : {}),
    ...(options.gzip ? { gzip: true } : {}),
  });
}

/** The controller image as an OCI archive file. */
export function writeControllerImage(options: ControllerImageOptions & { output: string }) {
  return writeImage(controllerImage(options), options.output);
}
