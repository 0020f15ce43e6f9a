import { isIP } from "node:net";
import { connect, createSecureContext, type SecureContext } from "node:tls";
import type { Client } from "@connectrpc/connect";
import type { MachineService } from "../api/gen/keelson/machine/v1/machine_pb";
import { grpcConnection } from "./grpc-connection";
import { type TlsSessionCache, tlsSessionKey } from "./tls-session-cache";

/** What a client proves itself with: the cluster CA it trusts and its own certificate. */
export interface Credentials {
  ca: string;
  cert: string;
  key: string;
}

export interface MachineConnection {
  client: Client<typeof MachineService>;
  /** Ends the HTTP/2 session so a CLI can exit without waiting for idle timers. */
  close(): void;
}

/**
 * A client of one node's API over mTLS and the gRPC protocol. `address` is
 * "host:port"; the server certificate must name that host (IP SANs for IPs).
 * Without `timeoutMs` calls have no deadline (streams that follow). With
 * `sessions`, connections resume TLS sessions from it and store new tickets in it.
 */
export function connectMachine(
  address: string,
  credentials: Credentials,
  timeoutMs?: number,
  sessions?: TlsSessionCache,
): MachineConnection {
  const secureContext = secureContextFor(credentials);
  return grpcConnection(
    address,
    {
      secureContext,
      ...(sessions && {
        createConnection: (authority: URL) =>
          resumingConnection(
            authority,
            secureContext,
            sessions,
            tlsSessionKey(credentials, address),
          ),
      }),
    },
    timeoutMs,
  );
}

/**
 * The TLS connection http2.connect would open (same host, port, SNI and ALPN
 * rules), plus the ticket to resume and a listener for new ones. Certificate
 * verification is Node's, unchanged: rejectUnauthorized stays on, and a node
 * that does not accept the ticket gets a full, fully verified handshake.
 */
function resumingConnection(
  authority: URL,
  secureContext: SecureContext,
  sessions: TlsSessionCache,
  key: string,
) {
  const host = authority.hostname.replace(/^\[(.*)\]$/, "$1");
  const socket = connect({
    host,
    port: Number(authority.port || 443),
    servername: isIP(host) ? undefined : host,
    ALPNProtocols: ["h2"],
    secureContext,
    minVersion: "TLSv1.3",
    session: sessions.get(key),
  });
  socket.on("session", (session: Buffer) => sessions.set(key, session));
  return socket;
}

const contexts = new WeakMap<Credentials, SecureContext>();

/** Parsing PEMs costs about a millisecond; a fan-out to many nodes does it once. */
function secureContextFor(credentials: Credentials): SecureContext {
  let context = contexts.get(credentials);
  if (!context) {
    context = createSecureContext({ ...credentials, minVersion: "TLSv1.3" });
    contexts.set(credentials, context);
  }
  return context;
}
