import type { LogWriter } from "../supervisor";
import type { EtcdClient } from "./etcd-client";
import type { Member } from "./etcd-model";
import { toHex } from "./member-id";

/** Another control plane, where a running etcd member may be found. */
export interface Peer {
  name: string;
  address: string;
}

export interface FoundCluster {
  peer: Peer;
  client: EtcdClient;
  members: Member[];
}

/** The first of `peers` whose etcd answers, with the membership it reports; none if no one does. */
export async function findCluster(
  peers: readonly Peer[],
  clientFor: (peer: Peer) => EtcdClient,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<FoundCluster | undefined> {
  if (peers.length === 0) return undefined;
  const probes = peers.map(async (peer): Promise<FoundCluster> => {
    const client = clientFor(peer);
    return { peer, client, members: await client.members({ signal, timeoutMs }) };
  });
  return Promise.any(probes).catch(() => undefined);
}

/**
 * Adds this node to the cluster through a running member and returns the
 * `--initial-cluster` its first start needs. A member already registered
 * with this peer URL is reused if it never started (a start that failed
 * after the add), or removed and added again if it did (this node lost its
 * data), so a node can always rejoin.
 */
export async function joinCluster(
  found: FoundCluster,
  self: { name: string; peerUrl: string },
  log: LogWriter,
): Promise<string> {
  const { client } = found;
  const stale = found.members.find((m) => m.peerUrls.includes(self.peerUrl));
  if (stale?.name === "") {
    log.line(`reusing member ${toHex(stale.id)}, added earlier but never started`);
    return initialCluster(found.members, stale.id, self.name);
  }
  if (stale) {
    log.line(`removing stale member ${toHex(stale.id)} (${stale.name}): this node has no data`);
    await client.removeMember(stale.id);
  }
  const { added, members } = await client.addMember(self.peerUrl);
  log.line(`joined through ${found.peer.name}: added as member ${toHex(added.id)}`);
  return initialCluster(members, added.id, self.name);
}

/** As etcdctl member add prints it: every member's name=peerURL, the new one under its own name. */
function initialCluster(members: readonly Member[], selfId: bigint, selfName: string): string {
  return members
    .flatMap((m) => m.peerUrls.map((url) => `${m.id === selfId ? selfName : m.name}=${url}`))
    .join(",");
}
