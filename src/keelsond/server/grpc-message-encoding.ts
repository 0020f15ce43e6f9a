import type { Http2ServerRequest, Http2ServerResponse, OutgoingHttpHeaders } from "node:http2";

type NodeHandler = (req: Http2ServerRequest, res: Http2ServerResponse) => void;

/**
 * connect-es percent-encodes grpc-message with encodeURIComponent, but the
 * gRPC spec encodes only "%" and bytes outside printable ASCII, and stock
 * clients decode with decodeURI (grpc-js) — so ":" would reach users as
 * "%3A". Re-encoding the header as the spec says makes every client agree.
 */
export function withSpecGrpcMessage(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    const writeHead = res.writeHead.bind(res) as (
      status: number,
      headers?: OutgoingHttpHeaders,
    ) => Http2ServerResponse;
    const addTrailers = res.addTrailers.bind(res);
    res.writeHead = ((status: number, headers?: OutgoingHttpHeaders) =>
      writeHead(status, reencode(headers))) as typeof res.writeHead;
    res.addTrailers = (headers) => addTrailers(reencode(headers) ?? headers);
    handler(req, res);
  };
}

function reencode<T extends OutgoingHttpHeaders | undefined>(headers: T): T {
  const message = headers?.["grpc-message"];
  if (typeof message !== "string") return headers;
  return { ...headers, "grpc-message": specEncode(decodeURIComponent(message)) };
}

/** The gRPC spec's percent-encoding: UTF-8 bytes outside 0x20–0x7E, and "%", become %XX. */
export function specEncode(text: string): string {
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    out +=
      byte >= 0x20 && byte <= 0x7e && byte !== 0x25
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}
