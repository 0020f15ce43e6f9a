export {
  type BootedImage,
  imageSchema,
  type NodeIdentity,
  nodeIdentitySchema,
  readJsonFile,
} from "./node-identity";
export { type StatePaths, statePaths } from "./state-dir";
