import { mkdir, readFile, writeFile } from "node:fs/promises";
import { KeelsonError } from "../../machinery/errors";
import type { PemPair } from "../../machinery/pki";
import { certificateFits } from "../pki";
import type { EtcdPaths } from "./etcd-paths";
import type { EtcdTls } from "./gateway-request";

/** This member's identity in its certificates. */
export interface CertSubject {
  name: string;
  address: string;
}

/**
 * Issues this member's certificates from the etcd CA and writes them where
 * etcd reads them, unless those already there still fit (a reboot keeps
 * them); returns the agent's own client credentials. The server
 * certificate also allows client auth: etcd's gateway dials the member's
 * gRPC port with it when client certificates are required.
 */
export async function writeEtcdCertificates(
  paths: EtcdPaths,
  ca: PemPair,
  subject: CertSubject,
): Promise<EtcdTls> {
  const kept = await keptCertificates(paths, ca.cert, subject.address);
  if (kept) return kept;
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

/** The client credentials, when every certificate on disk still fits this CA and address. */
async function keptCertificates(
  paths: EtcdPaths,
  caPem: string,
  address: string,
): Promise<EtcdTls | undefined> {
  const read = (path: string) => readFile(path, "utf8").catch(() => undefined);
  const [ca, server, peer, cert, key, ...keys] = await Promise.all(
    [paths.ca, paths.serverCert, paths.peerCert, paths.clientCert, paths.clientKey]
      .concat(paths.serverKey, paths.peerKey)
      .map(read),
  );
  if (ca !== caPem || !server || !peer || !cert || !key || keys.some((k) => !k)) return undefined;
  const fits =
    certificateFits(server, caPem, address) &&
    certificateFits(peer, caPem, address) &&
    certificateFits(cert, caPem);
  return fits ? { ca: caPem, cert, key } : undefined;
}
