export { buildImage, type ImageRecipe } from "./build-image";
export type { FileSpec, FileTree } from "./file-tree";
export { layoutFiles, ociArchive, writeOciLayout } from "./oci-layout";
