/** One member of a tar archive, as the writer takes it and the reader returns it. */
export interface TarEntry {
  /** Relative path without a leading slash; directories without a trailing one. */
  path: string;
  type: "file" | "dir" | "symlink" | "hardlink";
  mode: number;
  /** File contents; empty for the other types. */
  data?: Buffer;
  /** Target of a symlink or hardlink. */
  linkTarget?: string;
  uid?: number;
  gid?: number;
  /** Seconds since the epoch; 0 by default so archives are reproducible. */
  mtime?: number;
}

export const blockSize = 512;

export const typeFlags = { file: "0", hardlink: "1", symlink: "2", dir: "5" } as const;
