import { EtcdMember } from "./etcd-member";
import type { Peer } from "./join-cluster";

/** What the agent knows that decides its etcd member. */
export interface NodeEtcdInput {
  role: "controlplane" | "worker";
  stateDir: string;
  /** The node's own address: etcd listens there (client 2379, peer 2380). */
  address: string;
  /** Read at each use, so a live hostname change is seen. */
  name: () => string;
  /** Every control plane of the cluster (this one may be among them). */
  controlPlanes: () => readonly Peer[];
  /** The `etcd` section in force: its CA (with key) and extra flags. */
  etcd: () => { ca: { crt: string; key?: string }; extraArgs?: Record<string, string> } | undefined;
  clusterName: string;
}

/** The node's etcd member on a control plane; workers run no etcd. */
export function nodeEtcd(input: NodeEtcdInput): EtcdMember | undefined {
  if (input.role !== "controlplane") return undefined;
  return new EtcdMember({
    stateDir: input.stateDir,
    address: input.address,
    name: input.name,
    peers: input.controlPlanes,
    ca: () => input.etcd()?.ca,
    extraArgs: () => input.etcd()?.extraArgs ?? {},
    clusterToken: input.clusterName || "keelson",
  });
}
