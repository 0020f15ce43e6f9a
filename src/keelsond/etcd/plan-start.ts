import { KeelsonError } from "../../machinery/errors";
import type { LogWriter } from "../supervisor";
import type { EtcdMember } from "./etcd-member";
import { hasMemberData } from "./etcd-paths";
import { joinCluster } from "./join-cluster";
import { type StartPlan, waitingForBootstrap } from "./start-plan";

/**
 * Decides how etcd starts. Its own data first; otherwise join a running
 * cluster if another control plane has one, and only found a new cluster
 * when none answers and this node was bootstrapped, so a bootstrapped node
 * that lost its data rejoins instead of splitting the cluster in two.
 */
export async function planStart(
  member: EtcdMember,
  log: LogWriter,
  signal: AbortSignal,
): Promise<StartPlan> {
  if (member.left)
    return {
      kind: "wait",
      reason:
        "this node left the etcd cluster (keelctl etcd leave); it joins again on its next boot",
    };
  if (hasMemberData(member.paths)) return { kind: "existing" };
  const found = await member.findCluster(signal);
  if (!found)
    return member.bootstrapped() ? { kind: "new" } : { kind: "wait", reason: waitingForBootstrap };
  const self = member.self();
  try {
    const initialCluster = await joinCluster(
      found,
      { name: self.name, peerUrl: member.peerUrl(self.address) },
      log,
    );
    return { kind: "join", initialCluster };
  } catch (error) {
    const why = KeelsonError.from(error).message;
    return {
      kind: "wait",
      reason: `cannot join the etcd cluster through ${found.peer.name} yet: ${why}`,
    };
  }
}
