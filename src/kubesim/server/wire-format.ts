import type { IncomingMessage } from "node:http";
import { StatusError } from "../api";

type Protobuf = typeof import("../protobuf");

let protobuf: Protobuf | undefined;

export const protobufType = "application/vnd.kubernetes.protobuf";

/** A response body format: JSON, or Kubernetes protobuf (only built-in kinds have messages). */
export type WireFormat = "json" | "protobuf";

/**
 * Loads the protobuf codec when a request speaks it (Kubernetes' generated
 * messages are a large module most requests never need), so the handlers
 * that follow can encode and decode synchronously.
 */
export async function prepareWire(req: IncomingMessage): Promise<void> {
  const types = `${req.headers.accept ?? ""} ${req.headers["content-type"] ?? ""}`;
  if (!protobuf && types.includes(protobufType)) protobuf = await import("../protobuf");
}

export function codec(): Protobuf {
  if (!protobuf) throw new Error("the protobuf codec was not loaded for this request");
  return protobuf;
}

/**
 * The response format the client asked for, as the API server negotiates
 * it: the first media range of Accept it can serve. Protobuf only where the
 * kind has a message (`protobufCapable`); JSON for anything else acceptable,
 * and 406 when nothing is.
 */
export function negotiate(req: IncomingMessage, protobufCapable: boolean): WireFormat {
  const accept = req.headers.accept;
  if (!accept) return "json";
  for (const range of accept.split(",")) {
    const type = range.split(";")[0]?.trim().toLowerCase() ?? "";
    if (type === protobufType && protobufCapable) return "protobuf";
    if (type === "application/json" || type === "*/*" || type === "application/*") return "json";
    if (type === "application/yaml" || type === "application/json;stream=watch") return "json";
  }
  throw new StatusError(
    406,
    "NotAcceptable",
    `only the following media types are accepted: application/json, application/yaml, ${protobufType}`,
  );
}
