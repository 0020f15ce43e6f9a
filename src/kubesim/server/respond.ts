import type { ServerResponse } from "node:http";
import { isJsonObject, type KubeObject, StatusError } from "../api";
import { sendRaw } from "./http-io";
import { codec, protobufType, type WireFormat } from "./wire-format";

/**
 * Sends a response body in the negotiated format: an object with a
 * protobuf message in protobuf, anything else (tables, custom resources)
 * as JSON.
 */
export function respond(
  res: ServerResponse,
  format: WireFormat,
  code: number,
  body: unknown,
): void {
  if (format === "protobuf" && isJsonObject(body) && typeof body.kind === "string") {
    const encoded = codec().encodeObject(body as KubeObject);
    if (encoded) {
      sendRaw(res, code, encoded, protobufType);
      return;
    }
  }
  sendRaw(res, code, typeof body === "string" ? body : JSON.stringify(body));
}

/** A failure as the Status the API server sends, in the negotiated format. */
export function respondError(res: ServerResponse, format: WireFormat, error: unknown): void {
  const status = StatusError.from(error);
  if (status.details?.retryAfterSeconds && !res.headersSent)
    res.setHeader("Retry-After", String(status.details.retryAfterSeconds));
  respond(res, format, status.code, status.toStatus());
}
