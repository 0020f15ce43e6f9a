import { createHash } from "node:crypto";

/** An OCI content descriptor: what a blob is, how big, and its digest. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  platform?: { architecture: string; os: string; variant?: string };
}

export function sha256Digest(data: Buffer): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

export function describe(mediaType: string, data: Buffer): Descriptor {
  return { mediaType, digest: sha256Digest(data), size: data.length };
}

/** Digests are used as file names (blobs/sha256/<hex>), so only well-formed ones pass. */
export function isDigest(value: unknown): value is string {
  return typeof value === "string" && /^sha256:[0-9a-f]{64}$/.test(value);
}
