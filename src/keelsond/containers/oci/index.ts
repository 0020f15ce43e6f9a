export { type Descriptor, describe, isDigest, sha256Digest } from "./descriptor";
export * from "./media-types";
export {
  hostArchitecture,
  type ImageConfig,
  type ImageIndex,
  type ImageManifest,
  type OciImage,
} from "./oci-image";
export { type ImageReference, parseReference } from "./reference";
