export {
  type BundleHeader,
  type BundleLayout,
  bundleMagic,
  type ComponentSink,
  digestOf,
  readBundleHeader,
  readBundleLayout,
  signedPart,
  streamPayload,
} from "./bundle-file";
export {
  type Elsewhere,
  installedManifest,
  installToDirectory,
  trustedKeysFile,
  verifyDirectory,
} from "./install-directory";
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
export {
  type BundleKey,
  type BundleSource,
  type BundleSpec,
  signBundle,
  unsignedSigner,
  writeBundle,
} from "./write-bundle";
