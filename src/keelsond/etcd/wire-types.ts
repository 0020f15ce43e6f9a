/**
 * The gateway's JSON shapes (etcd 3.4, proto field names). Fields at their
 * zero value are omitted on the wire, so every one is optional; uint64 values
 * arrive as decimal strings.
 */
export interface WireHeader {
  cluster_id?: string;
  member_id?: string;
  revision?: string;
  raft_term?: string;
}

export interface WireStatus {
  header?: WireHeader;
  version?: string;
  dbSize?: string;
  dbSizeInUse?: string;
  leader?: string;
  raftIndex?: string;
  raftTerm?: string;
  errors?: string[];
  isLearner?: boolean;
}

export interface WireMember {
  ID?: string;
  name?: string;
  peerURLs?: string[];
  clientURLs?: string[];
  isLearner?: boolean;
}

export interface WireMembers {
  header?: WireHeader;
  member?: WireMember;
  members?: WireMember[];
}

export interface WireAlarm {
  memberID?: string;
  alarm?: string;
}

export interface WireAlarms {
  alarms?: WireAlarm[];
}

export interface WireRange {
  kvs?: { key?: string; value?: string }[];
}
