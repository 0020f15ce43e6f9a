import { createCa, issue, type PemPair } from "../../machinery/pki";

export interface ClusterCertificates {
  ca: PemPair;
  server: PemPair;
  admin: PemPair;
}

/**
 * A CA of its own per kubesim, a serving certificate for the addresses it
 * listens on, and an admin client certificate in the system:masters group,
 * the identity kubeadm gives its admin.conf.
 */
export async function createClusterCertificates(
  hosts: readonly string[],
): Promise<ClusterCertificates> {
  const ca = await createCa("kubesim-ca");
  const allHosts = [
    ...new Set(["127.0.0.1", "localhost", "kubernetes", "kubernetes.default", ...hosts]),
  ];
  const server = await issue(
    { commonName: "kube-apiserver", hosts: allHosts, usage: "server" },
    ca,
  );
  const admin = await issue(
    { commonName: "kubernetes-admin", organizations: ["system:masters"], usage: "client" },
    ca,
  );
  return { ca, server, admin };
}

/** A client certificate for one simulated kubelet, named as kubelets are. */
export function issueNodeCertificate(ca: PemPair, nodeName: string): Promise<PemPair> {
  return issue(
    { commonName: `system:node:${nodeName}`, organizations: ["system:nodes"], usage: "client" },
    ca,
  );
}
