export type { Controller } from "./controller";
export { podFitsNode } from "./node-fit";
export { NodeUsage } from "./node-usage";
export { podsOnNode } from "./pod-index";
export { schedulePending } from "./scheduler";
export { startControllers } from "./start-controllers";
