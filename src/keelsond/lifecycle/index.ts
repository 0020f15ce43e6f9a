export { Lifecycle, type PowerAction } from "./lifecycle";
export { lifecycleHandlers } from "./lifecycle-handlers";
export { type Power, processPower } from "./power";
