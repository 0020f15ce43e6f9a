export type { TarEntry } from "./tar-entry";
export { readTar } from "./tar-reader";
export { writeTar } from "./tar-writer";
