export { ContainerRunner, type ContainerRunnerOptions } from "./container-runner";
export { type ContainerServiceOptions, containerService, ensureImage } from "./container-service";
