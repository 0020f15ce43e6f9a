import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  EtcdAlarmSchema,
  EtcdMemberSchema,
  EtcdStatusResponseSchema,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import type { Alarm, MemberStatus } from "./etcd-model";
import type { CheckedMember } from "./member-health";
import { toHex } from "./member-id";

/** The API's view of etcd: member IDs in hex, as etcdctl prints them. */
export function memberToProto(m: CheckedMember): MessageInitShape<typeof EtcdMemberSchema> {
  return {
    id: toHex(m.id),
    name: m.name,
    peerUrls: m.peerUrls,
    clientUrls: m.clientUrls,
    learner: m.learner,
    healthy: m.healthy,
  };
}

export function statusToProto(s: MemberStatus): MessageInitShape<typeof EtcdStatusResponseSchema> {
  return {
    memberId: toHex(s.memberId),
    leaderId: s.leaderId === 0n ? "" : toHex(s.leaderId),
    version: s.version,
    dbSizeBytes: s.dbSize,
    dbSizeInUseBytes: s.dbSizeInUse,
    raftIndex: s.raftIndex,
    raftTerm: s.raftTerm,
    errors: s.errors,
  };
}

export function alarmToProto(a: Alarm): MessageInitShape<typeof EtcdAlarmSchema> {
  return { memberId: toHex(a.memberId), alarm: a.alarm };
}
