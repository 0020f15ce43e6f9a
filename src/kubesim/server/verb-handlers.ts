import { badRequest, isJsonObject, statusBody } from "../api";
import type { DeleteOptions } from "../registry";
import { decodeJson, mediaType, readBody, sendJson, wantsTable } from "./http-io";
import { listMeta, writeListBody } from "./list-body";
import { type Call, dryRunOf } from "./server-context";
import { includeObjectOf, toTable } from "./table";

type WriteKind = "status" | undefined;

function listOptions(query: URLSearchParams) {
  const limit = Number(query.get("limit") ?? "0");
  return {
    labelSelector: query.get("labelSelector"),
    fieldSelector: query.get("fieldSelector"),
    ...(Number.isFinite(limit) && limit > 0 ? { limit } : {}),
    continue: query.get("continue"),
  };
}

export function handleGet(call: Call): void {
  const obj = call.ctx.registry.get(call.type, call.namespace, call.info.name ?? "");
  if (wantsTable(call.req)) {
    sendJson(
      call.res,
      200,
      toTable(call.type, [obj], includeObjectOf(call.info.query), {
        resourceVersion: obj.metadata.resourceVersion,
      }),
    );
  } else sendJson(call.res, 200, obj);
}

export async function handleList(call: Call): Promise<void> {
  const namespace = call.info.namespace;
  const result = call.ctx.registry.list(call.type, namespace, listOptions(call.info.query));
  if (wantsTable(call.req)) {
    const objects = result.entries.map((e) => e.obj);
    sendJson(
      call.res,
      200,
      toTable(call.type, objects, includeObjectOf(call.info.query), listMeta(result)),
    );
  } else await writeListBody(call.res, call.type, result);
}

async function body(call: Call): Promise<unknown> {
  return decodeJson(await readBody(call.req), mediaType(call.req));
}

export async function handleCreate(call: Call): Promise<void> {
  const obj = call.ctx.registry.create(call.type, call.namespace, await body(call), {
    dryRun: dryRunOf(call.info.query),
  });
  sendJson(call.res, 201, obj);
}

export async function handleUpdate(call: Call, subresource: WriteKind): Promise<void> {
  const options = { dryRun: dryRunOf(call.info.query), ...(subresource ? { subresource } : {}) };
  const obj = call.ctx.registry.update(
    call.type,
    call.namespace,
    call.info.name ?? "",
    await body(call),
    options,
  );
  sendJson(call.res, 200, obj);
}

export async function handlePatch(call: Call, subresource: WriteKind): Promise<void> {
  const contentType = mediaType(call.req);
  const patch = decodeJson(await readBody(call.req), "application/json");
  const options = { dryRun: dryRunOf(call.info.query), ...(subresource ? { subresource } : {}) };
  const obj = call.ctx.registry.patch(
    call.type,
    call.namespace,
    call.info.name ?? "",
    patch,
    contentType,
    options,
  );
  sendJson(call.res, 200, obj);
}

/** DeleteOptions come from the body (kubectl) or the query string (curl, client-go). */
async function deleteOptions(call: Call): Promise<DeleteOptions> {
  const text = await readBody(call.req);
  const fromBody = text.trim() ? decodeJson(text, "application/json") : {};
  if (!isJsonObject(fromBody)) throw badRequest("DeleteOptions must be a JSON object");
  const query = call.info.query;
  const grace = fromBody.gracePeriodSeconds ?? query.get("gracePeriodSeconds") ?? undefined;
  const propagation = fromBody.propagationPolicy ?? query.get("propagationPolicy") ?? undefined;
  const dryRun = Array.isArray(fromBody.dryRun) ? fromBody.dryRun.includes("All") : dryRunOf(query);
  if (grace !== undefined && !Number.isInteger(Number(grace)))
    throw badRequest("gracePeriodSeconds must be an integer");
  return {
    dryRun,
    ...(grace !== undefined ? { gracePeriodSeconds: Math.max(0, Number(grace)) } : {}),
    ...(propagation
      ? { propagationPolicy: propagation as DeleteOptions["propagationPolicy"] }
      : {}),
    ...(isJsonObject(fromBody.preconditions)
      ? { preconditions: fromBody.preconditions as DeleteOptions["preconditions"] }
      : {}),
  };
}

export async function handleDelete(call: Call): Promise<void> {
  const result = call.ctx.registry.delete(
    call.type,
    call.namespace,
    call.info.name ?? "",
    await deleteOptions(call),
  );
  sendJson(call.res, result.removed ? 200 : 202, result.obj);
}

export async function handleDeleteCollection(call: Call): Promise<void> {
  const options = await deleteOptions(call);
  const { registry } = call.ctx;
  const result = registry.list(call.type, call.info.namespace, listOptions(call.info.query));
  for (const entry of result.entries) {
    try {
      registry.delete(call.type, entry.namespace, entry.name, options);
    } catch {
      // Already gone between the list and the delete: deletecollection ignores that.
    }
  }
  sendJson(call.res, 200, statusBody("Success", 200));
}
