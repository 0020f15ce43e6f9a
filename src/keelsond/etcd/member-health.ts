import { KeelsonError } from "../../machinery/errors";
import type { EtcdMember } from "./etcd-member";
import type { Member } from "./etcd-model";

export interface CheckedMember extends Member {
  /** It answered Status, with a leader and no errors, within the deadline. */
  healthy: boolean;
}

export interface Membership {
  members: CheckedMember[];
  /** More than half the voting members are healthy. */
  quorum: boolean;
}

/**
 * The cluster's members, each checked by a Status call of its own. Asks the
 * local member first and another control plane's when the local one is down,
 * so a node whose etcd failed can still show the cluster.
 */
export async function membership(member: EtcdMember, signal: AbortSignal): Promise<Membership> {
  const members = await listMembers(member, signal);
  const checked = await Promise.all(
    members.map(async (m) => ({ ...m, healthy: await answers(member, m, signal) })),
  );
  const voters = checked.filter((m) => !m.learner);
  const healthy = voters.filter((m) => m.healthy).length;
  return { members: checked, quorum: healthy > voters.length / 2 };
}

async function listMembers(member: EtcdMember, signal: AbortSignal): Promise<Member[]> {
  try {
    return await member.client.members({ signal });
  } catch (error) {
    const found = await member.findCluster(signal);
    if (found) return found.members;
    throw KeelsonError.from(error);
  }
}

async function answers(member: EtcdMember, m: Member, signal: AbortSignal): Promise<boolean> {
  const url = m.clientUrls[0];
  if (!url) return false;
  try {
    const status = await member.clientAt(url).status({ signal, timeoutMs: 2000 });
    return status.errors.length === 0 && status.leaderId !== 0n;
  } catch {
    return false;
  }
}
