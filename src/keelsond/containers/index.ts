export { readImageArchive } from "./archive";
export * from "./containerd";
export * from "./daemon";
export * from "./image-builder";
export * from "./images";
export * from "./oci";
export * from "./registry";
export * from "./runner";
export * from "./runtime";
