import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseYaml } from "yaml";
import { badRequest, StatusError } from "../api";

/** kube-apiserver's default limit on a request body. */
const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
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
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return (
    (req.headers["content-type"] ?? "application/json").split(";")[0]?.trim().toLowerCase() ?? ""
  );
}

/** Body media types the server reads besides protobuf (which only built-in kinds have). */
const textTypes = new Set(["application/json", "application/yaml", "application/apply-patch+yaml"]);

/** Decodes a JSON or YAML body; anything unreadable is the 400 a real server sends. */
export function decodeJson(body: Buffer | string, type: string, protobuf = false): unknown {
  if (!textTypes.has(type)) {
    const accepted = [
      "application/json",
      "application/yaml",
      ...(protobuf ? ["application/vnd.kubernetes.protobuf"] : []),
    ];
    throw new StatusError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
    );
  }
  const text = typeof body === "string" ? body : body.toString("utf8");
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
  body: string | Buffer,
  contentType = "application/json",
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

export function wantsTable(req: IncomingMessage): boolean {
  return (req.headers.accept ?? "").includes("as=Table");
}
