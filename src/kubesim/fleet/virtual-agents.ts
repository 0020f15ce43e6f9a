import type { KeyObject } from "node:crypto";
import { issue, type PemPair } from "../../machinery/pki";
import { startVirtualAgent, type VirtualAgent } from "./virtual-agent";
import type { VirtualFleet } from "./virtual-fleet";

export interface VirtualAgentsOptions {
  fleet: VirtualFleet;
  /** The cluster CA: it signs each node's server certificate, and clients must chain to it. */
  ca: PemPair;
  trustedKeys: readonly KeyObject[];
  /** The image every node runs at first. */
  version: string;
  spoolDir: string;
  /** Where each node serves (the InternalIP the fleet gave it), how long it takes to reboot, which versions never get healthy on it. */
  node: (
    index: number,
    name: string,
  ) => { address: string; rebootMs: number; failsBoot?: (version: string) => boolean };
  port?: number;
  onError?: (error: unknown) => void;
}

export interface VirtualAgents {
  agents: Map<string, VirtualAgent>;
  close(): Promise<void>;
}

/**
 * A virtual agent for every node of a virtual fleet, each on its own address
 * with a server certificate of its own, so the upgrade controller reaches a
 * thousand nodes exactly as it reaches real ones: the Node's InternalIP, the
 * API port, mutual TLS with the cluster CA.
 */
export async function startVirtualAgents(options: VirtualAgentsOptions): Promise<VirtualAgents> {
  const agents = new Map<string, VirtualAgent>();
  try {
    for (const [index, kubelet] of options.fleet.kubelets.entries()) {
      const name = kubelet.nodeName;
      const { address, rebootMs, failsBoot } = options.node(index, name);
      const server = await issue(
        { commonName: name, hosts: [address], usage: "server" },
        options.ca,
      );
      const agent = await startVirtualAgent({
        address,
        ...(options.port !== undefined ? { port: options.port } : {}),
        ca: options.ca.cert,
        ...server,
        trustedKeys: options.trustedKeys,
        version: options.version,
        rebootMs,
        ...(failsBoot ? { failsBoot } : {}),
        spoolDir: options.spoolDir,
        ...(options.onError ? { onError: options.onError } : {}),
        kubelet: {
          silence: () => options.fleet.silence(name),
          restart: () => options.fleet.restart(name),
        },
      });
      agents.set(name, agent);
    }
  } catch (error) {
    await Promise.all([...agents.values()].map((a) => a.close()));
    throw error;
  }
  return {
    agents,
    close: async () => {
      await Promise.all([...agents.values()].map((a) => a.close()));
    },
  };
}
