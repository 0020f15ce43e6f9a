import type { Http2ServerRequest } from "node:http2";
import * as http2 from "node:http2";
import type { TLSSocket } from "node:tls";
import { type ConnectRouter, createContextValues, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { MachineService } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { errorsToStatus } from "../../machinery/errors";
import { authorize } from "./authorize";
import {
  type ConnectionLimits,
  defaultConnectionLimits,
  limitConnections,
} from "./connection-limits";
import { withSpecGrpcMessage } from "./grpc-message-encoding";
import { peerIdentityKey, peerIdentityOf } from "./peer-identity";
import { unknownMethod } from "./unknown-method";

export interface ApiServerOptions {
  address: string;
  port: number;
  /**
   * The CA client certificates must chain to. Only maintenance mode omits it:
   * an unconfigured node has no CA yet and authenticates by bootstrap token.
   */
  ca?: string;
  cert: string;
  key: string;
  /** Decides who may call what; the roles table unless maintenance mode says otherwise. */
  authorize?: Interceptor;
  routes: (router: ConnectRouter) => void;
  /** Runs first, outside authorisation, so denied calls are logged too. */
  interceptors?: Interceptor[];
  limits?: ConnectionLimits;
}

export interface ApiServer {
  /** The port it listens on (the one asked for, or the one given for 0). */
  port: number;
  close(): Promise<void>;
}

/** TLS session lifetime; keelctl's ticket cache (src/keelctl/lib/tls-session-file.ts) matches it. */
const sessionTicketSeconds = 300;

/** Largest request message the API accepts; every request of the API is small. */
const readMaxBytes = 1024 * 1024;

/**
 * Serves the API over HTTP/2 with mandatory mutual TLS 1.3. There is no
 * plaintext listener: a client without a certificate from the cluster CA
 * fails the handshake before any RPC is parsed.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  // Aborting it ends every open stream (logs and events that follow), so close never hangs.
  const shutdown = new AbortController();
  const limits = options.limits ?? defaultConnectionLimits;
  const handler = connectNodeAdapter({
    routes: options.routes,
    grpc: true,
    grpcWeb: false,
    connect: false,
    readMaxBytes,
    interceptors: [...(options.interceptors ?? []), errorsToStatus, options.authorize ?? authorize],
    shutdownSignal: shutdown.signal,
    fallback: unknownMethod(MachineService.typeName),
    contextValues: (req) =>
      // The HTTP/2 session is one TLS connection; its socket is proxied per request.
      createContextValues().set(
        peerIdentityKey,
        peerIdentityOf(
          req.socket as TLSSocket,
          (req as Http2ServerRequest).stream.session ?? req.socket,
        ),
      ),
  });
  const server = http2.createSecureServer(
    {
      // Never Node's default of its bundled public roots, which no client
      // here is signed by: loading them costs half a second under emulation.
      ca: options.ca ?? [],
      cert: options.cert,
      key: options.key,
      requestCert: options.ca !== undefined,
      rejectUnauthorized: options.ca !== undefined,

      minVersion: "TLSv1.3",
      // How long a session ticket resumes (Node's default, stated because
      // keelctl keeps tickets this long): the client certificate it carries
      // is not re-checked within that window, only the ticket's own key.
      sessionTimeout: sessionTicketSeconds,
      allowHTTP1: false,
      handshakeTimeout: limits.idleMs,
    },
    withSpecGrpcMessage(handler),
  );
  limitConnections(server, limits);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.address, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  const bound = server.address();
  return {
    port: typeof bound === "object" && bound ? bound.port : options.port,
    close: () => {
      shutdown.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.close();
      // A peer that never reads would hold its session open; cut it after a grace period.
      const cut = setTimeout(() => {
        for (const session of sessions) session.destroy();
      }, 2000);
      return closed.finally(() => clearTimeout(cut));
    },
  };
}
