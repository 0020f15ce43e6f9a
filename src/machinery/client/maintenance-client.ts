import type { Interceptor } from "@connectrpc/connect";
import { bootstrapTokenHeader } from "./bootstrap-token";
import { grpcConnection } from "./grpc-connection";
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
  const withToken: Interceptor = (next) => (req) => {
    req.header.set(bootstrapTokenHeader, token);
    return next(req);
  };
  return grpcConnection(address, { rejectUnauthorized: false }, timeoutMs, [withToken]);
}
