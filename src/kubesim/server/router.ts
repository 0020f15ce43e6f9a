import type { IncomingMessage, ServerResponse } from "node:http";
import { pageNotFound } from "../api";
import { discover } from "./discovery";
import { sendJson, sendRaw } from "./http-io";
import { handleOpenApi } from "./openapi-handler";
import { parseResourceRequest } from "./request-info";
import { handleResource } from "./resource-handler";
import { respondError } from "./respond";
import type { ServerContext } from "./server-context";
import { negotiate, prepareWire, type WireFormat } from "./wire-format";

const healthPaths = new Set(["/healthz", "/livez", "/readyz"]);

/** Health, OpenAPI and discovery: everything outside /api/v1/... resources. */
function nonResourceBody(ctx: ServerContext, req: IncomingMessage): unknown {
  const path = new URL(req.url ?? "/", "https://kubesim").pathname;
  if (req.method !== "GET" && req.method !== "HEAD") throw pageNotFound();
  const body = discover(ctx.registry.catalog, path, ctx.serverAddress);
  if (body === undefined) throw pageNotFound();
  return body;
}

async function handleNonResource(ctx: ServerContext, req: IncomingMessage, res: ServerResponse) {
  const path = new URL(req.url ?? "/", "https://kubesim").pathname;
  if (healthPaths.has(path)) sendRaw(res, 200, "ok", "text/plain");
  else if (!(req.method === "GET" && (await handleOpenApi(ctx.registry.catalog, req, res, path))))
    sendJson(res, 200, nonResourceBody(ctx, req));
}

/** The request listener: never throws, every failure becomes a Status body. */
export function createRouter(ctx: ServerContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const run = async () => {
      await prepareWire(req);
      const info = parseResourceRequest(req);
      // Reads ignore a body; drain it so the connection is not reset under the client.
      if (!info || info.verb === "get" || info.verb === "list" || info.verb === "watch")
        req.resume();
      const fault = info && ctx.faults?.(info);
      if (fault) throw fault;
      if (info) await handleResource(ctx, req, res, info);
      else await handleNonResource(ctx, req, res);
    };
    run().catch((error: unknown) => respondError(res, errorFormat(req), error));
  };
}

/** A Status is a built-in kind: it goes out in protobuf when the client prefers that. */
function errorFormat(req: IncomingMessage): WireFormat {
  try {
    return negotiate(req, true);
  } catch {
    return "json";
  }
}
