export { budgetOf } from "./budget";
export { type ForecastInput, forecastFinish } from "./forecast";
export {
  holdsBudget,
  isFailure,
  isFinal,
  isNodePhase,
  type NodePhase,
  nodePhases,
} from "./node-phase";
export { type FleetNode, type Schedule, type ScheduleInput, schedule } from "./schedule";
export { inWindow, nextOpening } from "./windows";
