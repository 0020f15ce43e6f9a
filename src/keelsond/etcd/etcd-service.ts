import { existsSync } from "node:fs";
import { KeelsonError } from "../../machinery/errors";
import type { Runner, ServiceSpec } from "../supervisor";
import type { EtcdMember } from "./etcd-member";

/**
 * The etcd slot of the supervisor: restarted forever with backoff (a corrupt
 * data dir fails every start and is reported, without touching the other
 * services); healthy when the member answers Status with a leader.
 */
export function etcdService(member: EtcdMember, runner: () => Runner): ServiceSpec {
  return {
    id: "etcd",
    // Without the binary every start fails the same way: say so once, no restart loop.
    restart: existsSync(member.binary) ? "forever" : "once",
    stopGraceMs: 10_000,
    runner,
    health: {
      intervalMs: member.options.healthIntervalMs ?? 5000,
      timeoutMs: 3000,
      check: (signal) => checkHealth(member, signal),
    },
  };
}

async function checkHealth(member: EtcdMember, signal: AbortSignal): Promise<void> {
  if (member.waitingReason) throw new Error(member.waitingReason);
  const status = await member.client.status({ signal }).catch((error: unknown) => {
    throw new Error(member.lastFailure ?? KeelsonError.from(error).message);
  });
  member.lastFailure = undefined;
  if (status.errors.length) throw new Error(`etcd reports: ${status.errors.join("; ")}`);
  if (status.leaderId === 0n) throw new Error("etcd has no leader: the cluster has lost quorum");
}
