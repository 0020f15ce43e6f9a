import { setTimeout as sleep } from "node:timers/promises";
import { KeelsonError } from "../../machinery/errors";
import type { EtcdMember } from "./etcd-member";
import type { MemberStatus } from "./etcd-model";

/** Polls the member's Status until it has a leader, up to `timeoutMs`. */
export async function waitHealthy(
  member: EtcdMember,
  signal: AbortSignal | undefined,
  timeoutMs: number,
): Promise<MemberStatus> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const until = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let last = "";
  while (!until.aborted) {
    try {
      const status = await member.client.status({ signal: until, timeoutMs: 2000 });
      if (status.leaderId !== 0n) return status;
      last = "no leader yet";
    } catch (error) {
      last = KeelsonError.from(error).message;
    }
    await sleep(250, undefined, { signal: until }).catch(() => {});
  }
  throw new KeelsonError(
    "deadlineExceeded",
    `etcd did not become healthy within ${Math.round(timeoutMs / 1000)} s: ${member.lastFailure ?? member.waitingReason ?? last}`,
    "see its log: keelctl logs etcd",
  );
}
