import type { TLSSocket } from "node:tls";
import { createContextKey, type HandlerContext } from "@connectrpc/connect";

/** Who is calling, as proven by the client certificate of the mTLS handshake. */
export interface PeerIdentity {
  /** The full subject, one "KEY=value" per line, as Node prints it. */
  subject: string;
  commonName: string;
  /** Every Subject Organization value; the known ones are roles. */
  organizations: string[];
}

export const peerIdentityKey = createContextKey<PeerIdentity | undefined>(undefined, {
  description: "peer identity from the client certificate",
});

const identities = new WeakMap<object, PeerIdentity | undefined>();

/**
 * Reads the verified peer certificate off the TLS connection; undefined when
 * there is none. Parsed once per connection, not once per call.
 */
export function peerIdentityOf(socket: TLSSocket, connection: object): PeerIdentity | undefined {
  const key = connection;
  if (identities.has(key)) return identities.get(key);
  const identity = readIdentity(socket);
  identities.set(key, identity);
  return identity;
}

function readIdentity(socket: TLSSocket): PeerIdentity | undefined {
  const cert = socket.getPeerX509Certificate?.();
  if (!cert) return undefined;
  const lines = cert.subject.split("\n");
  const values = (key: string) =>
    lines.filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
  return {
    subject: lines.join(", "),
    commonName: values("CN")[0] ?? "",
    organizations: values("O"),
  };
}

/** The caller's subject for the event log ("CN=alice, O=os:admin"). */
export function actorOf(call: HandlerContext): string {
  return call.values.get(peerIdentityKey)?.subject ?? "";
}
