import { createReadStream, createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { pipeline } from "node:stream/promises";
import { digestOf, signedPart } from "./bundle-file";
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

/**
 * Writes a signed bundle of `files`: each is read once for its digest and
 * once into the payload, so a bundle of any size is built in constant
 * memory. The output appears whole or not at all.
 */
export async function writeBundle(
  output: string,
  spec: BundleSpec,
  files: readonly BundleSource[],
  key: { privateKey: string; publicKey: string },
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
    signer: fingerprint(publicKeyOf(key.publicKey)),
    components,
  });
  const json = Buffer.from(JSON.stringify(manifest));
  const signature = signBytes(signedPart(json), privateKeyOf(key.privateKey));
  const sigLength = Buffer.alloc(4);
  sigLength.writeUInt32BE(signature.length);
  const partial = `${output}.partial`;
  try {
    const out = createWriteStream(partial, { mode: 0o644 });
    out.write(Buffer.concat([signedPart(json), sigLength, signature]));
    for (const file of files) await pipeline(createReadStream(file.source), out, { end: false });
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    await rename(partial, output);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return manifest;
}
