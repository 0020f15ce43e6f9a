export { startVirtualAgent, type VirtualAgent, type VirtualAgentOptions } from "./virtual-agent";
export {
  startVirtualAgents,
  type VirtualAgents,
  type VirtualAgentsOptions,
} from "./virtual-agents";
export {
  startVirtualFleet,
  type VirtualFleet,
  type VirtualFleetOptions,
  type VirtualNodeOptions,
} from "./virtual-fleet";
