import type { IncomingMessage, ServerResponse } from "node:http";
import { methodNotAllowed, pageNotFound } from "../api";
import type { ResourceRequest } from "./request-info";
import type { Call, ServerContext } from "./server-context";
import { handleSubresource } from "./subresource-handlers";
import {
  handleCreate,
  handleDelete,
  handleDeleteCollection,
  handleGet,
  handleList,
  handlePatch,
  handleUpdate,
} from "./verb-handlers";
import { handleWatch } from "./watch-handler";
import { negotiate } from "./wire-format";

function callFor(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  info: ResourceRequest,
): Call {
  const type = ctx.registry.catalog.find(info.group, info.version, info.resource);
  if (!type) throw pageNotFound();
  const isNamespaceObject = type.plural === "namespaces" && info.name !== undefined;
  if (!type.namespaced && info.namespace !== undefined && !isNamespaceObject) throw pageNotFound();
  const named =
    ["get", "update", "patch", "delete"].includes(info.verb) || info.subresource !== undefined;
  if (
    type.namespaced &&
    info.namespace === undefined &&
    (named || info.verb === "create" || info.verb === "deletecollection")
  ) {
    throw pageNotFound();
  }
  const namespace = type.namespaced ? (info.namespace ?? "") : "";
  const format = negotiate(req, !type.crd);
  return { ctx, req, res, info, type, namespace, format };
}

/** Routes one resource request to the handler of its verb. */
export async function handleResource(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  info: ResourceRequest,
): Promise<void> {
  const call = callFor(ctx, req, res, info);
  if (info.subresource) return handleSubresource(call);
  switch (info.verb) {
    case "get":
      return handleGet(call);
    case "list":
      return handleList(call);
    case "watch":
      return handleWatch(call);
    case "create":
      if (info.name) throw methodNotAllowed(`POST on a named ${call.type.plural} is not allowed`);
      return handleCreate(call);
    case "update":
      return handleUpdate(call, undefined);
    case "patch":
      return handlePatch(call, undefined);
    case "delete":
      return handleDelete(call);
    case "deletecollection":
      return handleDeleteCollection(call);
  }
}
