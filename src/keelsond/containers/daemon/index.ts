export { type ContainerdConfigOptions, containerdConfig } from "./containerd-config";
export { type ContainerdPaths, containerdPaths } from "./containerd-paths";
export { ContainerdRunner, UnavailableRunner } from "./containerd-runner";
export {
  type ContainerdService,
  type ContainerdServiceOptions,
  containerdService,
} from "./containerd-service";
export { type RuntimeAvailability, runtimeAvailability } from "./runtime-availability";
