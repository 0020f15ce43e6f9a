import { KeelsonError } from "../../machinery/errors";
import type { EtcdMember } from "./etcd-member";
import { membership } from "./member-health";
import { retryUnhealthy } from "./retry-unhealthy";

/**
 * Takes this node out of the cluster: removes its member through another
 * healthy one (the leaving member may stop answering as the removal
 * applies), then stops etcd and wipes its data and bootstrap marker.
 */
export async function leaveCluster(member: EtcdMember, signal: AbortSignal): Promise<void> {
  const self = await member.client.status({ signal });
  const { members } = await membership(member, signal);
  const other = members.find((m) => m.id !== self.memberId && m.healthy && m.clientUrls[0]);
  if (!other?.clientUrls[0])
    throw new KeelsonError(
      "failedPrecondition",
      "no other healthy etcd member: leaving would destroy the cluster",
      members.length > 1 ? "bring the other members back first" : "this is the only member",
    );
  const via = member.clientAt(other.clientUrls[0]);
  await retryUnhealthy(() => via.removeMember(self.memberId, { signal }), signal);
  await member.retire();
}
