export { Lifecycle, type PowerAction } from "./lifecycle";
export { lifecycleHandlers } from "./lifecycle-handlers";
export { exitCodes, type Power, processPower } from "./power";
