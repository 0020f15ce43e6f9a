import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { badRequest } from "../api";
import type { ClusterCertificates } from "../cluster/certificates";
import { createRouter } from "./router";
import type { FaultRule, ServerContext } from "./server-context";

export interface ListeningServer {
  server: Server;
  /** Ends every open watch; clients resume from their last resourceVersion. */
  closeWatches(): void;
  /** Makes requests fail as `rule` says (undefined: serve everything again). */
  setFaults(rule: FaultRule | undefined): void;
  host: string;
  port: number;
}

/**
 * The HTTPS endpoint. Every client must present a certificate from the
 * cluster CA (client-certificate auth); anything authenticated is allowed.
 */
export async function listen(
  certs: ClusterCertificates,
  ctx: Omit<ServerContext, "serverAddress" | "watches">,
  host: string,
  port: number,
): Promise<ListeningServer> {
  const context: ServerContext = { ...ctx, serverAddress: "", watches: new Set() };
  const server = createServer(
    {
      cert: certs.server.cert,
      key: certs.server.key,
      ca: certs.ca.cert,
      requestCert: true,
      rejectUnauthorized: true,
    },
    createRouter(context),
  );
  server.keepAliveTimeout = 60_000;
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    // Requests Node's HTTP parser refuses still get a Status body, as from any API server.
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify(
      badRequest(`malformed HTTP request: ${error.code ?? error.message}`).toStatus(),
    );
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  context.serverAddress = `${host}:${address.port}`;
  const closeWatches = () => {
    for (const watch of [...context.watches]) watch.close();
  };
  const setFaults = (rule: FaultRule | undefined) => {
    if (rule) context.faults = rule;
    else delete context.faults;
  };
  return { server, host, port: address.port, closeWatches, setFaults };
}
