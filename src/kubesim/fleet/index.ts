export { startVirtualFleet, type VirtualFleet, type VirtualFleetOptions } from "./virtual-fleet";
