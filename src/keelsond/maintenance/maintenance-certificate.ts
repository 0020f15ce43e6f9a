import { createPrivateKey, X509Certificate } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { PemPair } from "../../machinery/pki";
import { writeFileDurably } from "../config/durable-write";
import { certificateFits } from "../pki/certificate-fits";

/**
 * The self-signed certificate maintenance mode serves with, kept in the
 * state: the fingerprint an operator checked stays the same across reboots,
 * and a boot that finds it whole never loads the issuing library (the most
 * of an unconfigured agent's start under emulation). The bootstrap token,
 * not the certificate, is what changes every boot.
 */
export async function maintenanceCertificate(
  files: { cert: string; key: string },
  address: string,
): Promise<PemPair> {
  if (existsSync(files.cert) && existsSync(files.key)) {
    const pair = { cert: readFileSync(files.cert, "utf8"), key: readFileSync(files.key, "utf8") };
    if (certificateFits(pair.cert, "self-signed", address) && keyMatches(pair)) return pair;
  }
  const { issue } = await import("../../machinery/pki");
  const pair = await issue({
    commonName: "keelson-maintenance",
    hosts: [address, "localhost"],
    usage: "server",
  });
  mkdirSync(dirname(files.key), { recursive: true, mode: 0o700 });
  writeFileDurably(files.key, pair.key);
  writeFileDurably(files.cert, pair.cert);
  return pair;
}

/** A power loss between the two writes can leave a new key beside the old certificate. */
function keyMatches(pair: PemPair): boolean {
  try {
    return new X509Certificate(pair.cert).checkPrivateKey(createPrivateKey(pair.key));
  } catch {
    return false;
  }
}
