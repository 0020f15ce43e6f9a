export { budgetOf } from "./budget";
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
