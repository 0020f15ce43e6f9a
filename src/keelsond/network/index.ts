export { bringUpNetwork } from "./bring-up";
export { MetalNetwork, type MetalNetworkPaths, metalNetworkPaths } from "./metal-network";
export {
  type LinkState,
  type NetworkPlan,
  type NetworkSettings,
  networkPlan,
} from "./network-plan";
