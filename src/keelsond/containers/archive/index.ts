export { readImageArchive } from "./read-image-archive";
