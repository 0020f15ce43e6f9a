import type { V1Node } from "@kubernetes/client-node";
import type { NodeApi } from "../nodes/node-api";
import { type FleetNode, holdsBudget, isFinal } from "../schedule";
import { internalAddress, isControlPlane, nodeReady } from "./node-record";

export interface EtcdHealth {
  members: number;
  healthy: number;
}

/**
 * etcd's health for the quorum rule, asked of etcd itself (its member list
 * with each member's health, from a control plane that serves) and only
 * when a control plane is about to go. A member whose node this plan holds
 * counts as gone. Where no control plane answers, the Nodes say it: one
 * member per control plane, healthy while its Node is Ready.
 */
export async function etcdHealth(
  nodes: NodeApi,
  list: readonly V1Node[],
  fleet: readonly FleetNode[],
): Promise<EtcdHealth | undefined> {
  // Asked at every pass: a fleet of workers only (most plans) answers from what the pass already read.
  if (!fleet.some((f) => f.controlPlane)) return undefined;
  const planes = list.filter(isControlPlane);
  if (planes.length === 0) return undefined;
  const held = new Set(fleet.filter((f) => holdsBudget(f.phase)).map((f) => f.name));
  const serving = planes.filter((n) => nodeReady(n) && !held.has(n.metadata?.name ?? ""));
  const nextIsPlane = fleet.some(
    (f) => f.controlPlane && !isFinal(f.phase) && !holdsBudget(f.phase),
  );
  if (nextIsPlane)
    for (const node of serving) {
      const members = await nodes.etcdMembers(internalAddress(node) ?? "").catch(() => undefined);
      if (members?.length)
        return {
          members: members.length,
          healthy: members.filter((m) => m.healthy && !held.has(m.name)).length,
        };
    }
  return { members: planes.length, healthy: serving.length };
}
