import { createSecureContext, type SecureContext } from "node:tls";
import { type Client, createClient } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { MachineService } from "../api/gen/keelson/machine/v1/machine_pb";

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
 * Without `timeoutMs` calls have no deadline (streams that follow).
 */
export function connectMachine(
  address: string,
  credentials: Credentials,
  timeoutMs?: number,
): MachineConnection {
  const baseUrl = `https://${address}`;
  const sessionManager = new Http2SessionManager(
    baseUrl,
    { idleConnectionTimeoutMs: 30_000 },
    { secureContext: secureContextFor(credentials), minVersion: "TLSv1.3" },
  );
  const transport = createGrpcTransport({ baseUrl, sessionManager, defaultTimeoutMs: timeoutMs });
  return {
    client: createClient(MachineService, transport),
    close: () => sessionManager.abort(),
  };
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
