export * from "../../machinery/image-builder";
export * from "../../machinery/oci";
export { readImageArchive } from "./archive";
export * from "./containerd";
export * from "./daemon";
export * from "./images";
export * from "./registry";
export * from "./runner";
export * from "./runtime";
