import { createHash, type KeyObject } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { KeelsonError } from "../errors";
import { problemsOf } from "../validation";
import {
  type BundleComponent,
  type BundleManifest,
  manifestSchema,
  payloadBytes,
} from "./manifest";
import { fingerprint, verifyBytes } from "./signing-key";

/**
 * A bundle is one file: "KEELSONB", the manifest's length (uint32, big
 * endian) and JSON, the signature's length and bytes (ed25519 over
 * everything before it), then the payload: each component's bytes in
 * manifest order.
 */
export const bundleMagic = Buffer.from("KEELSONB");
const maxManifestBytes = 1024 * 1024;

export interface BundleHeader {
  manifest: BundleManifest;
  /** Where the payload starts. */
  payloadOffset: number;
  /** The whole file's size. */
  size: number;
}

/** The bytes a signature covers: magic, manifest length, manifest. */
export function signedPart(manifestJson: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(manifestJson.length);
  return Buffer.concat([bundleMagic, length, manifestJson]);
}

/**
 * Reads a bundle's header and checks it, before anything is written
 * anywhere: the magic, the manifest, the signature (made by one of
 * `trusted`), and that the file holds the whole payload (no truncation).
 * Each failure says what is wrong with the bundle.
 */
export async function readBundleHeader(
  path: string,
  trusted: readonly KeyObject[],
): Promise<BundleHeader> {
  const layout = await readBundleLayout(path);
  if (layout.signature.length === 0)
    throw invalid("it is not signed", "sign it with keelctl image sign --signing-key KEY");
  checkSignature(layout.manifestJson, layout.signature, layout.manifest, trusted);
  return { manifest: layout.manifest, payloadOffset: layout.payloadOffset, size: layout.size };
}

/** A bundle's parts as they are in the file, signed or not, its signature not yet checked. */
export interface BundleLayout extends BundleHeader {
  manifestJson: Buffer;
  signature: Buffer;
}

/** Reads and checks a bundle's structure: magic, lengths, manifest, and a payload of exactly the listed size. */
export async function readBundleLayout(path: string): Promise<BundleLayout> {
  const file = await open(path, "r").catch((error: unknown) => {
    throw new KeelsonError("notFound", `cannot read bundle ${path}: ${(error as Error).message}`);
  });
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(12);
    await file.read(head, 0, 12, 0);
    if (size < 12 || !head.subarray(0, 8).equals(bundleMagic))
      throw invalid(
        "it is not a Keelson bundle (no KEELSONB header)",
        "build one with keelctl image build",
      );
    const manifestLength = head.readUInt32BE(8);
    if (manifestLength > maxManifestBytes || 12 + manifestLength + 4 > size)
      throw invalid("it is truncated or corrupt: the manifest runs past the end of the file");
    const manifestJson = Buffer.alloc(manifestLength);
    await file.read(manifestJson, 0, manifestLength, 12);
    const sigHead = Buffer.alloc(4);
    await file.read(sigHead, 0, 4, 12 + manifestLength);
    const signatureLength = sigHead.readUInt32BE(0);
    const payloadOffset = 12 + manifestLength + 4 + signatureLength;
    if (signatureLength > 1024 || payloadOffset > size)
      throw invalid("it is truncated or corrupt: the signature runs past the end of the file");
    const signature = Buffer.alloc(signatureLength);
    await file.read(signature, 0, signatureLength, 16 + manifestLength);
    const manifest = parseManifest(manifestJson);
    const expected = payloadOffset + payloadBytes(manifest);
    if (size < expected)
      throw invalid(
        `it is truncated: ${size} bytes, the manifest says ${expected}`,
        "fetch or copy it again",
      );
    if (size > expected)
      throw invalid(`it has ${size - expected} bytes more than its manifest lists`);
    return { manifest, manifestJson, signature, payloadOffset, size };
  } finally {
    await file.close();
  }
}

function parseManifest(json: Buffer): BundleManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(json.toString("utf8"));
  } catch {
    throw invalid("its manifest is not JSON");
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const format = (raw as { format?: unknown })?.format;
    if (typeof format === "number" && format > 1)
      throw invalid(
        `its format ${format} is newer than this node understands (1)`,
        "upgrade to an intermediate version first",
      );
    throw invalid(`its manifest is invalid: ${problemsOf(parsed.error).join("; ")}`);
  }
  return parsed.data;
}

function checkSignature(
  json: Buffer,
  signature: Buffer,
  manifest: BundleManifest,
  trusted: readonly KeyObject[],
): void {
  const key = trusted.find((k) => fingerprint(k) === manifest.signer);
  if (!key)
    throw new KeelsonError(
      "permissionDenied",
      `the bundle is signed by key ${manifest.signer}, which this node does not trust`,
      "trust the key in the machine configuration (machine.upgrade.trustedKeys) or sign with a trusted one",
    );
  if (!verifyBytes(signedPart(json), signature, key))
    throw new KeelsonError(
      "permissionDenied",
      "the bundle's signature does not match its contents: it was altered after signing",
    );
}

function invalid(why: string, hint?: string): KeelsonError {
  return new KeelsonError("invalidArgument", `not a valid bundle: ${why}`, hint);
}

export interface ComponentSink {
  start(component: BundleComponent): Promise<void> | void;
  chunk(component: BundleComponent, data: Buffer): Promise<void> | void;
  end(component: BundleComponent): Promise<void> | void;
}

/**
 * Streams the payload once, component by component, in fixed-size reads
 * (memory does not grow with the bundle), checking every component's size
 * and sha256 against the manifest: a tampered payload fails at the first
 * component whose digest differs.
 */
export async function streamPayload(
  path: string,
  header: BundleHeader,
  sink: ComponentSink,
  onBytes?: (done: number) => void,
): Promise<void> {
  let offset = header.payloadOffset;
  let done = 0;
  for (const component of header.manifest.components) {
    await sink.start(component);
    const hash = createHash("sha256");
    if (component.size > 0) {
      const stream = createReadStream(path, {
        start: offset,
        end: offset + component.size - 1,
        highWaterMark: 1024 * 1024,
      });
      for await (const chunk of stream) {
        hash.update(chunk as Buffer);
        await sink.chunk(component, chunk as Buffer);
        done += (chunk as Buffer).length;
        onBytes?.(done);
      }
    }
    if (hash.digest("hex") !== component.sha256)
      throw invalid(
        `component ${component.path} does not match its digest: it was altered or damaged`,
      );
    await sink.end(component);
    offset += component.size;
  }
}

/** The sha256 and size of a file, read in fixed-size chunks. */
/** The sha256 and size of a file, or of its first `length` bytes (a partition holds more than its image). */
export async function digestOf(
  path: string,
  length?: number,
): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  const range = length === undefined ? {} : { end: length - 1 };
  if (length === 0) return { sha256: hash.digest("hex"), size };
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, ...range })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
