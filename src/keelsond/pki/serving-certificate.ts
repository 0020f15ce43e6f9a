import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { KeelsonError } from "../../machinery/errors";
import type { PemPair } from "../../machinery/pki";
import { writeFileDurably } from "../config/durable-write";
import type { NodeSettings } from "../config/node-settings";
import { certificateFits } from "./certificate-fits";

/**
 * The certificate the node API serves with. Kept when it is signed by the
 * configured CA and names the node's addresses (its own and its aliases); otherwise a control plane
 * issues a new one from the CA key. A worker holds no CA key: its certificate
 * comes from the platform (the provisioner), and a missing or foreign one is
 * an error that says so.
 */
export async function servingCertificate(
  paths: { serverCert: string; serverKey: string },
  settings: NodeSettings,
): Promise<PemPair> {
  const { identity, ca } = settings;
  if (existsSync(paths.serverCert) && existsSync(paths.serverKey)) {
    const pair = {
      cert: readFileSync(paths.serverCert, "utf8"),
      key: readFileSync(paths.serverKey, "utf8"),
    };
    const addresses = [identity.address, ...identity.apiAliases];
    if (addresses.every((a) => certificateFits(pair.cert, ca.crt, a))) return pair;
  }
  if (!ca.key) {
    throw new KeelsonError(
      "failedPrecondition",
      `no serving certificate for ${identity.address} signed by the cluster CA`,
      "workers get theirs from the platform: recreate the node with its provisioner",
    );
  }
  const { issue } = await import("../../machinery/pki");
  const pair = await issue(
    {
      commonName: identity.name,
      hosts: [identity.address, ...identity.apiAliases, identity.name, "localhost"],
      usage: "server",
    },
    { cert: ca.crt, key: ca.key },
  );
  mkdirSync(dirname(paths.serverKey), { recursive: true, mode: 0o700 });
  writeFileDurably(paths.serverKey, pair.key);
  writeFileDurably(paths.serverCert, pair.cert);
  return pair;
}
