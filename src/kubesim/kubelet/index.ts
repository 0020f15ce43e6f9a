export type { KubeletPort, PodEventType } from "./kubelet-port";
export {
  kubeletVersion,
  microTime,
  type NodeShape,
  nodeObject,
  syntheticAddress,
} from "./node-object";
export { PodFeed, registryPort } from "./registry-port";
export { SimKubelet } from "./sim-kubelet";
export {
  type SimulatedKubelet,
  type SimulatedKubeletOptions,
  startSimulatedKubelet,
} from "./simulated-kubelet";
