export { inspectionHandlers } from "./inspection-handlers";
