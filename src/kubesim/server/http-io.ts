import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { badRequest, StatusError } from "../api";

/** kube-apiserver's default limit on a request body. */
const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes)
      throw new StatusError(
        413,
        "RequestEntityTooLarge",
        "Request entity too large: limit is 3145728",
      );
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function mediaType(req: IncomingMessage): string {
  return (
    (req.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? ""
  );
}

/** Decodes a JSON or YAML body; anything unreadable is the 400 a real server sends. */
export function decodeJson(text: string, type: string): unknown {
  if (type === "application/vnd.kubernetes.protobuf" || type === "application/cbor") {
    // kubesim speaks JSON and YAML only; a real server would also take these.
    throw new StatusError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (kubesim does not decode ${type})`,
    );
  }
  if (text.trim() === "") throw badRequest("the request body is empty");
  try {
    if (type === "application/yaml" || type === "application/apply-patch+yaml")
      return parseYaml(text);
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`error decoding request body: ${(error as Error).message}`);
  }
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  sendRaw(res, code, typeof body === "string" ? body : JSON.stringify(body));
}

export function sendRaw(
  res: ServerResponse,
  code: number,
  text: string,
  contentType = "application/json",
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  const status = StatusError.from(error);
  const headers: Record<string, string> = {};
  if (status.details?.retryAfterSeconds)
    headers["Retry-After"] = String(status.details.retryAfterSeconds);
  for (const [key, value] of Object.entries(headers))
    if (!res.headersSent) res.setHeader(key, value);
  sendJson(res, status.code, status.toStatus());
}

export function wantsTable(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").includes("as=Table");
}
