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

/** The Go-style architecture name of this machine, as image configs spell it. */
export function hostArchitecture(): string {
  const names: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386" };
  return names[process.arch] ?? process.arch;
}
