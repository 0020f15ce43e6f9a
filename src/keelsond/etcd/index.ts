export { bootstrapEtcd } from "./bootstrap-etcd";
export { EtcdClient } from "./etcd-client";
export { type EtcdContext, etcdHandlers } from "./etcd-handlers";
export { EtcdMember, type EtcdMemberOptions } from "./etcd-member";
export type { Peer } from "./join-cluster";
export { type NodeEtcdInput, nodeEtcd } from "./node-etcd";
