import { KeelsonError } from "../../machinery/errors";
import type { Handlers } from "../context";
import { bootstrapEtcd } from "./bootstrap-etcd";
import type { EtcdMember } from "./etcd-member";
import { alarmToProto, memberToProto, statusToProto } from "./etcd-proto";
import { forfeitLeadership } from "./forfeit-leadership";
import { leaveCluster } from "./leave-cluster";
import { membership } from "./member-health";
import { parseHexId, toHex } from "./member-id";
import { retryUnhealthy } from "./retry-unhealthy";

/** What the etcd handlers need of the agent: its member, on control planes. */
export interface EtcdContext {
  etcd: EtcdMember | undefined;
}

/** The etcd RPCs. Each acts on this node's member; workers have none. */
export function etcdHandlers(ctx: EtcdContext): Handlers {
  const member = () => {
    if (ctx.etcd) return ctx.etcd;
    throw new KeelsonError(
      "failedPrecondition",
      "etcd runs on control planes only",
      "target a control plane: keelctl -n <control plane> etcd …",
    );
  };
  return {
    async etcdBootstrap(_req, { signal }) {
      return { message: await bootstrapEtcd(member(), signal) };
    },
    async etcdMembers(_req, { signal }) {
      const { members, quorum } = await membership(member(), signal);
      return { members: members.map(memberToProto), quorum };
    },
    async etcdStatus(_req, { signal }) {
      return statusToProto(await member().client.status({ signal }));
    },
    async *etcdSnapshot(_req, { signal }) {
      for await (const chunk of member().client.snapshot({ signal })) yield { chunk };
    },
    async etcdDefragment(_req, { signal }) {
      await member().client.defragment({ signal });
      return {};
    },
    async etcdAlarms(_req, { signal }) {
      return { alarms: (await member().client.alarms({ signal })).map(alarmToProto) };
    },
    async etcdAlarmDisarm(_req, { signal }) {
      const { client } = member();
      const alarms = await client.alarms({ signal });
      for (const alarm of alarms) await client.disarm(alarm, { signal });
      return { disarmed: alarms.map(alarmToProto) };
    },
    async etcdLeave(_req, { signal }) {
      await leaveCluster(member(), signal);
      return {};
    },
    async etcdRemoveMember(req, { signal }) {
      const id = parseHexId(req.id);
      const { client } = member();
      if ((await client.status({ signal })).memberId === id)
        throw new KeelsonError(
          "failedPrecondition",
          `member ${toHex(id)} is this node's own`,
          "use keelctl etcd leave on this node, or remove it from another control plane",
        );
      await retryUnhealthy(() => client.removeMember(id, { signal }), signal);
      return {};
    },
    async etcdForfeitLeadership(_req, { signal }) {
      return { newLeaderId: toHex(await forfeitLeadership(member(), signal)) };
    },
  };
}
