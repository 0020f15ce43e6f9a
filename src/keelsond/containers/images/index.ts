export { chainIds } from "./chain-id";
export { snapshotter } from "./gc-labels";
export {
  findImage,
  getImage,
  type ImageSummary,
  listImages,
  removeImage,
  type StoredImage,
} from "./image-store";
export { importImages } from "./import-images";
export { storeImage } from "./store-image";
export { snapshotExists } from "./unpack";
