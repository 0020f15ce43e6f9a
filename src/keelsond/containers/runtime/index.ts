export { acrossRestart } from "./across-restart";
export { containerLogs, type LogRequest } from "./container-logs";
export {
  type ContainerSummary,
  type CreateContainerOptions,
  createContainer,
  deleteContainer,
  listContainers,
  runtimeName,
} from "./containers";
export { removeContainer, stopTaskNow } from "./remove-container";
export { type ProcessSpec, runtimeSpec } from "./runtime-spec";
export { containerLogPath } from "./task-io";
export { decodeMetrics, type TaskStats, taskStats } from "./task-metrics";
export { type ContainerState, toExitStatus } from "./task-status";
export { deleteTask, killTask, startTask, waitTask } from "./tasks";
