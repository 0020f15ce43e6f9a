import { parseWireId } from "./member-id";
import type { WireAlarm, WireMember, WireStatus } from "./wire-types";

/** One member's own view, from its Status call. */
export interface MemberStatus {
  memberId: bigint;
  /** 0 while the member knows no leader. */
  leaderId: bigint;
  version: string;
  dbSize: bigint;
  dbSizeInUse: bigint;
  raftIndex: bigint;
  raftTerm: bigint;
  errors: string[];
  learner: boolean;
}

export interface Member {
  id: bigint;
  /** Empty until a member that was added has started for the first time. */
  name: string;
  peerUrls: string[];
  clientUrls: string[];
  learner: boolean;
}

export interface Alarm {
  memberId: bigint;
  /** "NOSPACE", "CORRUPT". */
  alarm: string;
}

export function statusFromWire(wire: WireStatus): MemberStatus {
  return {
    memberId: parseWireId(wire.header?.member_id),
    leaderId: parseWireId(wire.leader),
    version: wire.version ?? "",
    dbSize: BigInt(wire.dbSize ?? "0"),
    dbSizeInUse: BigInt(wire.dbSizeInUse ?? "0"),
    raftIndex: BigInt(wire.raftIndex ?? "0"),
    raftTerm: BigInt(wire.raftTerm ?? "0"),
    errors: wire.errors ?? [],
    learner: wire.isLearner ?? false,
  };
}

export function memberFromWire(wire: WireMember): Member {
  return {
    id: parseWireId(wire.ID),
    name: wire.name ?? "",
    peerUrls: wire.peerURLs ?? [],
    clientUrls: wire.clientURLs ?? [],
    learner: wire.isLearner ?? false,
  };
}

export function alarmFromWire(wire: WireAlarm): Alarm {
  return { memberId: parseWireId(wire.memberID), alarm: wire.alarm ?? "NONE" };
}
