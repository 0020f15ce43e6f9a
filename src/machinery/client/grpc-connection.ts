import type { SecureClientSessionOptions } from "node:http2";
import { createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { MachineService } from "../api/gen/keelson/machine/v1/machine_pb";
import { isRefusedStream } from "../errors";
import { GuardedSessionManager } from "./guarded-session-manager";
import type { MachineConnection } from "./machine-client";

/**
 * One node's MachineService over the gRPC protocol on an HTTP/2 session of
 * its own, whatever the TLS options; close() ends the session so a CLI can
 * exit without waiting for idle timers. Without `timeoutMs` calls have no deadline.
 */
export function grpcConnection(
  address: string,
  tls: SecureClientSessionOptions,
  timeoutMs?: number,
  interceptors: Interceptor[] = [],
): MachineConnection {
  const baseUrl = `https://${address}`;
  const sessionManager = new GuardedSessionManager(
    baseUrl,
    { idleConnectionTimeoutMs: 30_000 },
    { minVersion: "TLSv1.3", ...tls },
  );
  const transport = createGrpcTransport({
    baseUrl,
    sessionManager,
    defaultTimeoutMs: timeoutMs,
    interceptors: [retryRefusedStreams, ...interceptors],
  });
  return { client: createClient(MachineService, transport), close: () => sessionManager.abort() };
}

/**
 * A unary call that lands on a connection the server is closing (an idle
 * GOAWAY racing the call) is refused before it is processed: HTTP/2 says it
 * may be sent again, so it is, on a fresh connection, twice at most.
 */
const retryRefusedStreams: Interceptor = (next) => async (request) => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await next(request);
    } catch (error) {
      if (request.stream || attempt >= 2 || request.signal.aborted || !isRefusedStream(error))
        throw error;
    }
  }
};
