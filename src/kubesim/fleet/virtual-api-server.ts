import * as http2 from "node:http2";
import type { TLSSocket } from "node:tls";
import {
  type ConnectRouter,
  createContextKey,
  createContextValues,
  type Interceptor,
} from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { errorsToStatus, KeelsonError } from "../../machinery/errors";
import { isAllowed, rolesFor } from "../../machinery/roles";

export interface VirtualApiServerOptions {
  address: string;
  port: number;
  /** The cluster CA: a client without a certificate it signed fails the handshake. */
  ca: string;
  cert: string;
  key: string;
  routes: (router: ConnectRouter) => void;
}

export interface VirtualApiServer {
  /** Stops listening and cuts every connection, as a node going down does. */
  close(): Promise<void>;
}

const rolesKey = createContextKey<string[] | undefined>(undefined, {
  description: "the Subject Organizations of the client certificate",
});

/**
 * The Keelson API as a node serves it, for a virtual node: gRPC over HTTP/2
 * with mutual TLS 1.3, each call checked against the one roles table, and a
 * handler's KeelsonError sent as its status.
 */
export async function serveVirtualApi(options: VirtualApiServerOptions): Promise<VirtualApiServer> {
  const handler = connectNodeAdapter({
    routes: options.routes,
    grpc: true,
    grpcWeb: false,
    connect: false,
    interceptors: [errorsToStatus, authorize],
    contextValues: (req) =>
      createContextValues().set(rolesKey, organizations(req.socket as TLSSocket)),
  });
  const server = http2.createSecureServer(
    {
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: "TLSv1.3",
      allowHTTP1: false,
    },
    handler,
  );
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.address, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    close: () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const session of sessions) session.destroy();
      return closed;
    },
  };
}

function organizations(socket: TLSSocket): string[] | undefined {
  const cert = socket.getPeerX509Certificate?.();
  if (!cert) return undefined;
  return cert.subject
    .split("\n")
    .filter((line) => line.startsWith("O="))
    .map((line) => line.slice(2));
}

const authorize: Interceptor = (next) => async (req) => {
  const held = req.contextValues.get(rolesKey);
  const procedure = `${req.service.typeName}/${req.method.name}`;
  if (!held) throw new KeelsonError("unauthenticated", "no client certificate").toConnectError();
  if (!isAllowed(procedure, held))
    throw new KeelsonError(
      "permissionDenied",
      `${req.method.name} needs role ${rolesFor(procedure).join(" or ")}; the certificate carries ${held.join(", ") || "none"}`,
    ).toConnectError();
  return next(req);
};
