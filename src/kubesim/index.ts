export {
  type ClusterCredentials,
  readKubeconfig,
  renderKubeconfig,
} from "../machinery/kube/kubeconfig";
export { conflict, internalError, StatusError } from "./api";
export { type Kubesim, type KubesimOptions, startKubesim } from "./cluster/kubesim";
export { defaultTiming, scaleTiming, type Timing } from "./cluster/timing";
export { applyDemoWorkload, type DemoWorkloadOptions, demoObjects } from "./demo/demo-workload";
export type { VirtualFleet, VirtualFleetOptions } from "./fleet";
export {
  type SimulatedKubelet,
  type SimulatedKubeletOptions,
  startSimulatedKubelet,
} from "./kubelet";
export type { FaultRule } from "./server/server-context";
