import { createHash } from "node:crypto";
import type { Credentials } from "./machine-client";

/**
 * TLS 1.3 session tickets kept from earlier connections, so a new connection
 * to the same node resumes instead of repeating the full handshake: neither
 * side verifies a certificate chain or signs again. The identities proven by
 * the full handshake carry over: the node restores the client certificate
 * from its own encrypted ticket (so authorisation sees the same roles), and
 * only the node that completed that handshake can decrypt the ticket, which
 * is why a ticket may only be offered to the address it came from.
 */
export interface TlsSessionCache {
  /** A fresh ticket for this key, if one is held. */
  get(key: string): Buffer | undefined;
  set(key: string, session: Buffer): void;
}

const fingerprints = new WeakMap<Credentials, string>();

/**
 * Where a ticket may be used: the same node address, the same trusted CA and
 * the same client certificate. A changed CA or certificate misses the cache
 * and does a full handshake, so a ticket never outlives the trust it was made under.
 */
export function tlsSessionKey(credentials: Credentials, address: string): string {
  let fingerprint = fingerprints.get(credentials);
  if (!fingerprint) {
    fingerprint = createHash("sha256")
      .update(credentials.ca)
      .update("\0")
      .update(credentials.cert)
      .digest("hex");
    fingerprints.set(credentials, fingerprint);
  }
  return `${fingerprint} ${address}`;
}
