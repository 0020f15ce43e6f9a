import type { IncomingMessage, ServerResponse } from "node:http";
import type { Catalog } from "../resources/catalog";
import { sendRaw } from "./http-io";

const gnosticTypes = [
  "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
  "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
];

let cached: { generation: number; json: string; protobuf?: Uint8Array } | undefined;

/**
 * /openapi/v2, /openapi/v3 and /openapi/v3/<group-version>. v2 goes out as
 * gnostic protobuf when asked (kubectl 1.20 accepts nothing else) and as
 * JSON otherwise; documents are built on first use and whenever CRDs change.
 */
export async function handleOpenApi(
  catalog: Catalog,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (path !== "/openapi/v2" && !path.startsWith("/openapi/v3")) return false;
  const documents = await import("../openapi/documents");
  if (path.startsWith("/openapi/v3")) {
    const body =
      path === "/openapi/v3"
        ? documents.openApiV3Root(catalog)
        : documents.openApiV3GroupVersion(catalog, path);
    if (!body) return false;
    sendRaw(res, 200, JSON.stringify(body));
    return true;
  }
  if (cached?.generation !== catalog.generation)
    cached = { generation: catalog.generation, json: JSON.stringify(documents.openApiV2(catalog)) };
  const accept = req.headers.accept ?? "";
  if (gnosticTypes.some((t) => accept.includes(t))) {
    const { gnosticDocument } = await import("../openapi/gnostic");
    cached.protobuf ??= gnosticDocument(JSON.parse(cached.json));
    sendRaw(res, 200, Buffer.from(cached.protobuf), gnosticTypes[1]);
  } else sendRaw(res, 200, cached.json);
  return true;
}
