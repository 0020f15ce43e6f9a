export { ContainerRunner, type ContainerRunnerOptions } from "./container-runner";
export {
  type BuiltImage,
  type ContainerServiceOptions,
  containerService,
  ensureImage,
} from "./container-service";
