export { pullImage } from "./pull-image";
export type { Credentials } from "./registry-auth";
export type { RegistryOptions } from "./registry-client";
