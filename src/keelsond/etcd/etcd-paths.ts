import { existsSync } from "node:fs";
import { join } from "node:path";

/** Where a control plane keeps its etcd member, under the node's state dir. */
export function etcdPaths(stateDir: string) {
  const root = join(stateDir, "etcd");
  const pki = join(root, "pki");
  return {
    root,
    data: join(root, "data"),
    /** Written by EtcdBootstrap: this node may found a cluster when it finds none to join. */
    bootstrapMarker: join(root, "bootstrapped"),
    pki,
    ca: join(pki, "ca.crt"),
    serverCert: join(pki, "server.crt"),
    serverKey: join(pki, "server.key"),
    peerCert: join(pki, "peer.crt"),
    peerKey: join(pki, "peer.key"),
    clientCert: join(pki, "client.crt"),
    clientKey: join(pki, "client.key"),
  };
}

export type EtcdPaths = ReturnType<typeof etcdPaths>;

/** etcd writes `member/` on its first start: from then on it starts from its own data. */
export function hasMemberData(paths: EtcdPaths): boolean {
  return existsSync(join(paths.data, "member"));
}
