export { followFile, readTail } from "./log-reader";
export { LogWriter } from "./log-writer";
export { type ProcessOptions, ProcessRunner } from "./runners/process-runner";
export { type Task, TaskRunner } from "./runners/task-runner";
export type { ServiceStatus, StatusListener } from "./service-instance";
export type {
  ExitStatus,
  HealthCheck,
  RestartPolicy,
  Runner,
  ServiceSpec,
  ServiceState,
} from "./service-spec";
export { Supervisor } from "./supervisor";
