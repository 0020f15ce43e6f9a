export type { BootedImage } from "./booted-image";
export { listenAddress, type NodeIdentity, type Platform, platformSchema } from "./platform";
export { readJsonFile } from "./read-json-file";
export { type StatePaths, statePaths } from "./state-dir";
