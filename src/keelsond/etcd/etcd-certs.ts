import { mkdir, writeFile } from "node:fs/promises";
import { KeelsonError } from "../../machinery/errors";
import type { PemPair } from "../../machinery/pki";
import type { EtcdPaths } from "./etcd-paths";
import type { EtcdTls } from "./gateway-request";

/** This member's identity in its certificates. */
export interface CertSubject {
  name: string;
  address: string;
}

/**
 * Issues this member's certificates from the etcd CA and writes them where
 * etcd reads them; returns the agent's own client credentials. The server
 * certificate also allows client auth: etcd's gateway dials the member's
 * gRPC port with it when client certificates are required.
 */
export async function writeEtcdCertificates(
  paths: EtcdPaths,
  ca: PemPair,
  subject: CertSubject,
): Promise<EtcdTls> {
  const hosts = [subject.address, subject.name, "localhost", "127.0.0.1"];
  // Loaded on demand: the x509 library costs the agent ~4 MiB it needs only here.
  const { issue } = await import("../../machinery/pki");

  const [server, peer, client] = await Promise.all([
    issue({ commonName: subject.name, hosts, usage: "peer" }, ca),
    issue({ commonName: subject.name, hosts, usage: "peer" }, ca),
    issue({ commonName: `keelsond@${subject.name}`, usage: "client" }, ca),
  ]).catch((error: unknown) => {
    throw new KeelsonError(
      "failedPrecondition",
      `cannot issue etcd certificates: ${String(error)}`,
      "check etcd.ca in the machine configuration",
    );
  });
  await mkdir(paths.pki, { recursive: true, mode: 0o700 });
  await writePair(paths.serverCert, paths.serverKey, server);
  await writePair(paths.peerCert, paths.peerKey, peer);
  await writePair(paths.clientCert, paths.clientKey, client);
  await writeFile(paths.ca, ca.cert);
  return { ca: ca.cert, cert: client.cert, key: client.key };
}

async function writePair(certPath: string, keyPath: string, pair: PemPair): Promise<void> {
  await writeFile(certPath, pair.cert);
  await writeFile(keyPath, pair.key, { mode: 0o600 });
}
