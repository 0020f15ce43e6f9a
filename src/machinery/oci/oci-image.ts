import type { Descriptor } from "./descriptor";

export interface ImageManifest {
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageConfig {
  architecture: string;
  os: string;
  config?: {
    Entrypoint?: string[];
    Cmd?: string[];
    Env?: string[];
    WorkingDir?: string;
    User?: string;
    Labels?: Record<string, string>;
  };
  rootfs: { type: "layers"; diff_ids: string[] };
}

/**
 * An image held in memory: its manifest's descriptor and every blob it
 * references by digest (manifest, config, layers). Building, importing and
 * pulling all produce this; writing it to containerd consumes it.
 */
export interface OciImage {
  /** Full reference, e.g. `keelson.local/system/echo:1`. */
  name: string;
  manifest: Descriptor;
  blobs: Map<string, Buffer>;
}
