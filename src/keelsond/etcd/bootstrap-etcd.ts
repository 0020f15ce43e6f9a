import { KeelsonError } from "../../machinery/errors";
import type { EtcdMember } from "./etcd-member";
import { hasMemberData } from "./etcd-paths";
import { toHex } from "./member-id";
import { waitHealthy } from "./wait-healthy";

/**
 * Founds the cluster on this control plane: refuses where a member already
 * has data or another control plane already runs etcd, records the
 * bootstrap (so it survives reboots), wakes the waiting service and returns
 * once the new member has elected itself leader.
 */
export async function bootstrapEtcd(member: EtcdMember, signal?: AbortSignal): Promise<string> {
  if (hasMemberData(member.paths))
    throw new KeelsonError(
      "alreadyExists",
      "etcd is already bootstrapped on this node",
      "keelctl etcd members shows the cluster",
    );
  const found = await member.findCluster(signal ?? AbortSignal.timeout(5000));
  if (found)
    throw new KeelsonError(
      "failedPrecondition",
      `an etcd cluster already runs on ${found.peer.name}`,
      "bootstrap only the first control plane; the others join it on their own",
    );
  await member.markBootstrapped();
  const status = await waitHealthy(member, signal, 60_000);
  const name = member.options.name();
  return `bootstrapped etcd: ${name} (member ${toHex(status.memberId)}) is the first member`;
}
