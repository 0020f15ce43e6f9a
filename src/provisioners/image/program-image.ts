import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { buildImage, type FileTree, ociArchive } from "../../machinery/image-builder";
import type { OciImage } from "../../machinery/oci";
import { distPath } from "../dist-path";
import { programFiles } from "./agent-files";
import { nodeBinary, nodeRuntime } from "./node-runtime";

/** Where the program sits in the image. */
const appDir = "/app";

/** One of the project's programs (dist/NAME.mjs) as a container image: see programImage. */
export interface ProgramImage {
  name: string;
  program: string;
  args?: string[];
  title: string;
  version: string;
  user?: string;
  env?: Record<string, string>;
  extraLayers?: FileTree[];
  gzip?: boolean;
}

/**
 * A program of the project as a container image, from the working tree: the
 * Node.js runtime this machine runs (its binary and the shared libraries
 * it loads, nothing else: no shell, no package manager), the bundled
 * program and its chunks.
 */
export function programImage(options: ProgramImage): OciImage {
  const entry = distPath(`${options.program}.mjs`);
  const app: FileTree = Object.fromEntries(
    programFiles(entry).map((file) => [
      `${appDir}/${file}`,
      { type: "file", source: join(dirname(entry), file), mode: 0o644 } as const,
    ]),
  );
  return buildImage({
    name: options.name,
    ...(options.gzip ? { gzip: true } : {}),
    layers: [
      nodeRuntime(process.execPath),
      { ...app, tmp: { type: "dir", mode: 0o1777 } },
      ...(options.extraLayers ?? []),
    ],
    entrypoint: [nodeBinary, `${appDir}/${options.program}.mjs`, ...(options.args ?? [])],
    ...(options.user ? { user: options.user } : {}),
    env: { NODE_ENV: "production", ...options.env },
    labels: {
      "org.opencontainers.image.title": options.title,
      "org.opencontainers.image.version": options.version,
    },
  });
}

/** Writes the image as an OCI archive (what `ctr images import` and `docker load` take). */
export function writeImage(image: OciImage, output: string) {
  const archive = ociArchive(image);
  writeFileSync(output, archive);
  return { name: image.name, digest: image.manifest.digest, bytes: archive.length };
}
