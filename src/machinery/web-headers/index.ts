export { installLightHeaders } from "./install";
export { LightHeaders } from "./light-headers";
