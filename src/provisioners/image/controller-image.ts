import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildImage, type FileTree, ociArchive } from "../../machinery/image-builder";
import type { OciImage } from "../../machinery/oci";
import { distPath } from "../dist-path";
import { programFiles } from "./agent-files";
import { nodeBinary, nodeRuntime } from "./node-runtime";

/** The name deploy/controller.yaml runs. */
export const controllerImageName = (version: string) => `keelson/upgrade-controller:${version}`;

/** Where the program sits in the image. */
const appDir = "/app";

export interface ControllerImageOptions {
  version: string;
  /** Layers on top (a test's credentials, say). */
  extraLayers?: FileTree[];
  /** Compress the layers: smaller to ship, slower to build. */
  gzip?: boolean;
}

/**
 * The upgrade controller's container image, from the working tree: the
 * Node.js runtime this machine runs (its binary and the shared libraries
 * it loads, nothing else: no shell, no package manager), the bundled
 * controller and its chunks, running as nobody.
 */
export function controllerImage(options: ControllerImageOptions): OciImage {
  const entry = distPath("keelson-controller.mjs");
  const app: FileTree = Object.fromEntries(
    programFiles(entry).map((file) => [
      `${appDir}/${file}`,
      { type: "file", source: join(dirname(entry), file), mode: 0o644 } as const,
    ]),
  );
  return buildImage({
    name: controllerImageName(options.version),
    ...(options.gzip ? { gzip: true } : {}),
    layers: [
      nodeRuntime(process.execPath),
      { ...app, tmp: { type: "dir", mode: 0o1777 } },
      ...(options.extraLayers ?? []),
    ],
    entrypoint: [nodeBinary, `${appDir}/keelson-controller.mjs`],
    user: "65534:65534",
    env: { NODE_ENV: "production" },
    labels: {
      "org.opencontainers.image.title": "keelson-upgrade-controller",
      "org.opencontainers.image.version": options.version,
    },
  });
}

/** Writes the image as an OCI archive (what `ctr images import` and `docker load` take). */
export function writeControllerImage(options: ControllerImageOptions & { output: string }) {
  const image = controllerImage(options);
  const archive = ociArchive(image);
  writeFileSync(options.output, archive);
  return { name: image.name, digest: image.manifest.digest, bytes: archive.length };
}
