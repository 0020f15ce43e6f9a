import { KeelsonError } from "../../machinery/errors";
import type { EventLog } from "../events";
import type { MetalNetwork } from "./metal-network";
import { type NetworkSettings, networkPlan } from "./network-plan";

/**
 * Applies the configuration's network, or, when it cannot (a link that is
 * gone since it was applied), says why and takes DHCP on the links without
 * an address: a node that cannot follow its configuration stays reachable.
 */
export async function bringUpNetwork(
  network: MetalNetwork,
  settings: NetworkSettings | undefined,
  events: EventLog,
): Promise<void> {
  try {
    await network.apply(networkPlan(settings, network.links()));
  } catch (error) {
    const why = KeelsonError.from(error).message;
    events.record({
      kind: "node",
      subject: "network",
      message: `the configured network cannot be applied (${why}); DHCP on links without an address instead`,
    });
    console.log(`keelson: network: ${why}; taking DHCP on links without an address`);
    await network.apply(networkPlan(undefined, network.links())).catch(() => {});
  }
}
