export {
  type ClientConfig,
  type ClientContext,
  clientConfigSchema,
  type Endpoint,
} from "./client-config";
export {
  defaultConfigPath,
  parseClientConfig,
  readClientConfig,
  removeContext,
  selectContext,
  stringifyClientConfig,
  upsertContext,
  writeClientConfig,
} from "./config-file";
export { defaultApiPort, resolveTargets, type Target, withPort } from "./targets";
