import { gzipSync } from "node:zlib";
import {
  type Descriptor,
  describe,
  hostArchitecture,
  type ImageConfig,
  type ImageManifest,
  mediaTypes,
  type OciImage,
  sha256Digest,
} from "../oci";
import { writeTar } from "../tar";
import { type FileTree, treeEntries } from "./file-tree";

export interface ImageRecipe {
  /** Full reference the image is known by, e.g. `keelson.local/system/echo:1`. */
  name: string;
  /** One layer per tree, bottom first. */
  layers: FileTree[];
  entrypoint?: string[];
  cmd?: string[];
  env?: Record<string, string>;
  workingDir?: string;
  /** "uid:gid" the process runs as; root when absent. */
  user?: string;
  labels?: Record<string, string>;
  /** Compress layers (smaller archives; unpacking costs more). Off by default. */
  gzip?: boolean;
  architecture?: string;
}

/**
 * Builds an OCI image from local files, entirely in memory. Nothing depends on
 * time or the machine beyond `architecture`: the same recipe always gives the
 * same digests, so the OS can ship service images and verify them.
 */
export function buildImage(recipe: ImageRecipe): OciImage {
  const blobs = new Map<string, Buffer>();
  const add = (mediaType: string, data: Buffer): Descriptor => {
    const descriptor = describe(mediaType, data);
    blobs.set(descriptor.digest, data);
    return descriptor;
  };
  const diffIds: string[] = [];
  const layers = recipe.layers.map((tree) => {
    const tar = writeTar(treeEntries(tree));
    diffIds.push(sha256Digest(tar));
    return recipe.gzip
      ? add(mediaTypes.ociLayerGzip, gzipSync(tar, { level: 9 }))
      : add(mediaTypes.ociLayer, tar);
  });
  const config = add(mediaTypes.ociConfig, json(imageConfig(recipe, diffIds)));
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.ociManifest,
    config,
    layers,
  };
  return { name: recipe.name, manifest: add(mediaTypes.ociManifest, json(manifest)), blobs };
}

function imageConfig(recipe: ImageRecipe, diffIds: string[]): ImageConfig {
  const env = Object.entries(recipe.env ?? {}).map(([key, value]) => `${key}=${value}`);
  return {
    architecture: recipe.architecture ?? hostArchitecture(),
    os: "linux",
    config: {
      Entrypoint: recipe.entrypoint,
      Cmd: recipe.cmd,
      Env: env.length > 0 ? env : undefined,
      WorkingDir: recipe.workingDir,
      User: recipe.user,
      Labels: recipe.labels,
    },
    rootfs: { type: "layers", diff_ids: diffIds },
  };
}

function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}
