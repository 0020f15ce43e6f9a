export { type BootedImage, imageSchema, readJsonFile } from "./booted-image";
export { type NodeIdentity, type Platform, platformSchema } from "./platform";
export { type StatePaths, statePaths } from "./state-dir";
