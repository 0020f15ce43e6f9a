import { type Client, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport, Http2SessionManager } from "@connectrpc/connect-node";
import { MachineService } from "../api/gen/keelson/machine/v1/machine_pb";
import { bootstrapTokenHeader } from "./bootstrap-token";
import type { MachineConnection } from "./machine-client";

/**
 * A client of a node in maintenance mode: it has no configuration, so no CA
 * to verify, and proves nothing with a client certificate. The bootstrap
 * token from the node's console is what authenticates the call.
 */
export function connectMaintenance(
  address: string,
  token: string,
  timeoutMs?: number,
): MachineConnection {
  const baseUrl = `https://${address}`;
  const sessionManager = new Http2SessionManager(
    baseUrl,
    { idleConnectionTimeoutMs: 30_000 },
    { rejectUnauthorized: false, minVersion: "TLSv1.3" },
  );
  const withToken: Interceptor = (next) => (req) => {
    req.header.set(bootstrapTokenHeader, token);
    return next(req);
  };
  const transport = createGrpcTransport({
    baseUrl,
    sessionManager,
    defaultTimeoutMs: timeoutMs,
    interceptors: [withToken],
  });
  const client: Client<typeof MachineService> = createClient(MachineService, transport);
  return { client, close: () => sessionManager.abort() };
}
