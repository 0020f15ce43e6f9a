import { X509Certificate } from "node:crypto";

/**
 * Whether a certificate kept on disk can serve again: signed by this CA (or by itself),
 * valid now and, when an address is given, naming that IP address. Checked with Node's own X.509
 * support, so a boot that keeps its certificates never loads the issuing
 * library (~4 MiB of the agent's memory).
 */
export function certificateFits(
  certPem: string,
  caPem: string | "self-signed",
  address?: string,
): boolean {
  try {
    const cert = new X509Certificate(certPem);
    // A self-signed server certificate is no CA (its key usage says so): its signature is its own.
    const ca = caPem === "self-signed" ? undefined : new X509Certificate(caPem);
    const now = Date.now();
    return (
      (ca === undefined || cert.checkIssued(ca)) &&
      cert.verify(ca?.publicKey ?? cert.publicKey) &&
      (address === undefined || cert.checkIP(address) !== undefined) &&
      Date.parse(cert.validFrom) <= now &&
      now < Date.parse(cert.validTo)
    );
  } catch {
    return false;
  }
}
