export {
  type BundleHeader,
  bundleMagic,
  type ComponentSink,
  digestOf,
  readBundleHeader,
  signedPart,
  streamPayload,
} from "./bundle-file";
export { installedManifest, installToDirectory, verifyDirectory } from "./install-directory";
export {
  type BundleComponent,
  type BundleManifest,
  bundleFormat,
  manifestSchema,
  payloadBytes,
} from "./manifest";
export {
  fingerprint,
  generateSigningKey,
  privateKeyOf,
  publicKeyOf,
  type SigningKeyPair,
} from "./signing-key";
export { type BundleSource, type BundleSpec, writeBundle } from "./write-bundle";
