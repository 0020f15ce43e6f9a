export { hostArchitecture } from "../platform/host-architecture";
export { type Descriptor, describe, isDigest, sha256Digest } from "./descriptor";
export * from "./media-types";
export type {
  ImageConfig,
  ImageIndex,
  ImageManifest,
  OciImage,
} from "./oci-image";
export { type ImageReference, parseReference } from "./reference";
