import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { digestOf, readBundleLayout, signedPart } from "./bundle-file";
import {
  type BundleComponent,
  type BundleManifest,
  bundleFormat,
  manifestSchema,
} from "./manifest";
import { fingerprint, privateKeyOf, publicKeyOf, signBytes } from "./signing-key";

export interface BundleSource {
  /** Where the file goes in the slot. */
  path: string;
  /** Where it is read from. */
  source: string;
  mode?: number;
}

export interface BundleSpec {
  version: string;
  arch: string;
  target: BundleManifest["target"];
  minUpgradeFrom: string;
  /** Fixed for reproducible bundles; now otherwise. */
  buildTime?: string;
}

export interface BundleKey {
  privateKey: string;
  publicKey: string;
}

/** The signer of an unsigned bundle: no key has this fingerprint, so no node takes it. */
export const unsignedSigner = "0000000000000000";

/**
 * Writes a bundle of `files`, signed with `key` (unsigned without one, for
 * signing elsewhere with `signBundle`): each file is read once for its
 * digest and once into the payload, so a bundle of any size is built in
 * constant memory. The output appears whole or not at all.
 */
export async function writeBundle(
  output: string,
  spec: BundleSpec,
  files: readonly BundleSource[],
  key: BundleKey | undefined,
): Promise<BundleManifest> {
  const components: BundleComponent[] = [];
  for (const file of files) {
    const { sha256, size } = await digestOf(file.source);
    components.push({ path: file.path, size, sha256, mode: file.mode ?? 0o644 });
  }
  const manifest = manifestSchema.parse({
    format: bundleFormat,
    os: "keelson",
    version: spec.version,
    arch: spec.arch,
    target: spec.target,
    buildTime: spec.buildTime ?? new Date().toISOString(),
    minUpgradeFrom: spec.minUpgradeFrom,
    signer: unsignedSigner,
    components,
  });
  const payload = files.map((f) => ({ path: f.source }));
  return writeBundleFile(output, manifest, key, payload);
}

/**
 * Signs a bundle (or signs it again, with another key): the manifest names
 * the new signer, the payload is copied as it is.
 */
export async function signBundle(
  input: string,
  output: string,
  key: BundleKey,
): Promise<BundleManifest> {
  const layout = await readBundleLayout(input);
  const payload = [{ path: input, start: layout.payloadOffset }];
  return writeBundleFile(output, layout.manifest, key, payload);
}

async function writeBundleFile(
  output: string,
  unsigned: BundleManifest,
  key: BundleKey | undefined,
  payload: readonly { path: string; start?: number }[],
): Promise<BundleManifest> {
  const signer = key ? fingerprint(publicKeyOf(key.publicKey)) : unsignedSigner;
  const manifest = { ...unsigned, signer };
  const json = Buffer.from(JSON.stringify(manifest));
  const signature = key
    ? signBytes(signedPart(json), privateKeyOf(key.privateKey))
    : Buffer.alloc(0);
  const sigLength = Buffer.alloc(4);
  sigLength.writeUInt32BE(signature.length);
  const partial = `${output}.partial`;
  try {
    const parts = payload.map((part) => createReadStream(part.path, { start: part.start ?? 0 }));
    await pipeline(
      async function* () {
        yield Buffer.concat([signedPart(json), sigLength, signature]);
        for (const part of parts) yield* part;
      },
      createWriteStream(partial, { mode: 0o644 }),
    );
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return manifest;
}
