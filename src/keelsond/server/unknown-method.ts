import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";

type Fallback = NonNullable<ConnectNodeAdapterOptions["fallback"]>;

import { specEncode } from "./grpc-message-encoding";

/**
 * Answers a call to a method this node does not serve the way gRPC servers
 * do: status 12 (UNIMPLEMENTED) naming the method, in a trailers-only
 * response, instead of a bare HTTP 404 that clients report as "unknown".
 */
export function unknownMethod(service: string): Fallback {
  return (req, res) => {
    const path = (req.url ?? "").split("?", 1)[0] ?? "";
    const message = path.startsWith(`/${service}/`)
      ? `method ${path} is not implemented by this node (its API may be older than the client)`
      : `unknown method ${path}: this node serves ${service}`;
    const headers = {
      "content-type": "application/grpc",
      "grpc-status": "12",
      "grpc-message": specEncode(message),
    };
    // Trailers-only: one HEADERS frame that ends the stream, as gRPC clients expect.
    if ("stream" in req)
      return req.stream.respond({ ":status": 200, ...headers }, { endStream: true });
    res.writeHead(200, headers);
    res.end();
  };
}
