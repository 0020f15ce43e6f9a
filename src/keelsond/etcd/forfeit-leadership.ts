import { KeelsonError } from "../../machinery/errors";
import type { EtcdMember } from "./etcd-member";
import { membership } from "./member-health";

/**
 * If this member leads, hands leadership to another healthy voting member
 * and returns the new leader; otherwise returns the current leader.
 */
export async function forfeitLeadership(member: EtcdMember, signal: AbortSignal): Promise<bigint> {
  const self = await member.client.status({ signal });
  if (self.leaderId !== self.memberId) return self.leaderId;
  const { members } = await membership(member, signal);
  const target = members.find((m) => m.id !== self.memberId && m.healthy && !m.learner);
  if (!target)
    throw new KeelsonError(
      "failedPrecondition",
      "no other healthy voting member to hand leadership to",
      "keelctl etcd members shows their health",
    );
  await member.client.moveLeader(target.id, { signal });
  return target.id;
}
