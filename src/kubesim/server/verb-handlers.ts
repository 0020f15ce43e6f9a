import { badRequest, isJsonObject, type KubeObject, statusBody } from "../api";
import { applyPatch } from "../patch";
import type { DeleteOptions } from "../registry";
import { apiVersionOf } from "../resources/resource-type";
import { checkFields, fieldChecker } from "./field-validation";
import { decodeJson, mediaType, readBody, wantsTable } from "./http-io";
import { listMeta, writeListBody } from "./list-body";
import { boolParam, intParam, writeOptions } from "./query-options";
import { readDeleteOptions, readObject } from "./request-body";
import { respond } from "./respond";
import { served } from "./served-version";
import { type Call, dryRunOf } from "./server-context";
import { applyServerSide } from "./server-side-apply";
import { includeObjectOf, toTable } from "./table";

type WriteKind = "status" | undefined;

function listOptions(query: URLSearchParams) {
  const limit = intParam(query, "limit") ?? 0;
  return {
    labelSelector: query.get("labelSelector"),
    fieldSelector: query.get("fieldSelector"),
    ...(limit > 0 ? { limit } : {}),
    continue: query.get("continue"),
  };
}

export function handleGet(call: Call): void {
  const obj = call.ctx.registry.get(call.type, call.namespace, call.info.name ?? "");
  if (wantsTable(call.req)) {
    const meta = { resourceVersion: obj.metadata.resourceVersion };
    respond(
      call.res,
      "json",
      200,
      toTable(call.type, [obj], includeObjectOf(call.info.query), meta),
    );
  } else respond(call.res, call.format, 200, served(call.type, obj));
}

export async function handleList(call: Call): Promise<void> {
  const namespace = call.info.namespace;
  const result = call.ctx.registry.list(call.type, namespace, listOptions(call.info.query));
  if (wantsTable(call.req)) {
    const objects = result.entries.map((e) => e.obj);
    const table = toTable(call.type, objects, includeObjectOf(call.info.query), listMeta(result));
    respond(call.res, "json", 200, table);
  } else await writeListBody(call.res, call.type, result, call.format);
}

export async function handleCreate(call: Call): Promise<void> {
  const options = writeOptions(call.info.query, "CreateOptions");
  const decoded = await readObject(call);
  const body = await checkFields(call.res, call.type, decoded, options.fieldValidation, "write");
  const obj = call.ctx.registry.create(call.type, call.namespace, body, {
    dryRun: dryRunOf(call.info.query),
    manager: managerOf(call, options.fieldManager),
  });
  respond(call.res, call.format, 201, served(call.type, obj));
}

export async function handleUpdate(call: Call, subresource: WriteKind): Promise<void> {
  const options = writeOptions(call.info.query, "UpdateOptions");
  const decoded = await readObject(call);
  const body = await checkFields(call.res, call.type, decoded, options.fieldValidation, "write");
  const obj = call.ctx.registry.update(call.type, call.namespace, call.info.name ?? "", body, {
    dryRun: dryRunOf(call.info.query),
    manager: managerOf(call, options.fieldManager),
    ...(subresource ? { subresource } : {}),
  });
  respond(call.res, call.format, 200, served(call.type, obj));
}

export async function handlePatch(call: Call, subresource: WriteKind): Promise<void> {
  const contentType = mediaType(call.req);
  const apply = contentType === "application/apply-patch+yaml";
  const options = writeOptions(call.info.query, "PatchOptions", apply);
  const text = await readBody(call.req);
  if (apply) return applyServerSide(call, text, options, subresource);
  const patch = decodeJson(text, "application/json");
  const name = call.info.name ?? "";
  const check = await fieldChecker(call.type);
  // From here on synchronous: no other write lands between the read and the update.
  const current = call.ctx.registry.get(call.type, call.namespace, name);
  const patched = applyPatch(current, patch, contentType, !call.type.crd) as KubeObject;
  const body = check(call.res, patched, options.fieldValidation, "patch");
  const obj = call.ctx.registry.update(call.type, call.namespace, name, body, {
    dryRun: dryRunOf(call.info.query),
    manager: managerOf(call, options.fieldManager),
    ...(subresource ? { subresource } : {}),
  });
  respond(call.res, call.format, 200, served(call.type, obj));
}

/**
 * Who a write is recorded for in managedFields: the fieldManager the
 * client named, else (as the API server does) its User-Agent's program name.
 */
export function managerOf(call: Call, fieldManager: string | undefined): string {
  if (fieldManager) return fieldManager;
  const agent = call.req.headers["user-agent"] ?? "unknown";
  return agent.split("/")[0]?.slice(0, 128) || "unknown";
}

/** DeleteOptions from the body (kubectl, typed clients) or the query string (curl, client-go). */
async function deleteOptions(call: Call): Promise<DeleteOptions & { orphanDependents?: boolean }> {
  const fromBody = await readDeleteOptions(call);
  const query = call.info.query;
  const grace = fromBody.gracePeriodSeconds ?? intParam(query, "gracePeriodSeconds");
  const propagation = fromBody.propagationPolicy ?? query.get("propagationPolicy") ?? undefined;
  const dryRun = Array.isArray(fromBody.dryRun) ? fromBody.dryRun.includes("All") : dryRunOf(query);
  if (grace !== undefined && !Number.isInteger(Number(grace)))
    throw badRequest("gracePeriodSeconds must be an integer");
  const orphan =
    fromBody.orphanDependents ??
    (query.has("orphanDependents") ? boolParam(query, "orphanDependents") : undefined);
  return {
    dryRun,
    ...(grace !== undefined ? { gracePeriodSeconds: Math.max(0, Number(grace)) } : {}),
    ...(propagation
      ? { propagationPolicy: propagation as DeleteOptions["propagationPolicy"] }
      : {}),
    ...(isJsonObject(fromBody.preconditions)
      ? { preconditions: fromBody.preconditions as DeleteOptions["preconditions"] }
      : {}),
    ...(typeof orphan === "boolean" ? { orphanDependents: orphan } : {}),
  };
}

/**
 * DELETE answers as the API server does: an object still being deleted
 * (grace period, finalizers) comes back with its deletionTimestamp; one
 * removed at once comes back itself for pods, namespaces and service
 * accounts, and as a Success Status naming it for every other kind.
 */
export async function handleDelete(call: Call): Promise<void> {
  const options = await deleteOptions(call);
  const { obj, removed } = call.ctx.registry.delete(
    call.type,
    call.namespace,
    call.info.name ?? "",
    options,
  );
  if (!removed) {
    const code = options.orphanDependents === false ? 202 : 200;
    return respond(call.res, call.format, code, served(call.type, obj));
  }
  if (call.type.returnsDeletedObject)
    return respond(call.res, call.format, 200, served(call.type, obj));
  respond(call.res, call.format, 200, deletedStatus(call, obj));
}

function deletedStatus(call: Call, obj: KubeObject) {
  const details = {
    name: obj.metadata.name,
    ...(call.type.group ? { group: call.type.group } : {}),
    kind: call.type.plural,
    uid: obj.metadata.uid,
  };
  const { code: _code, ...status } = statusBody("Success", 200, undefined, undefined, details);
  return status;
}

export async function handleDeleteCollection(call: Call): Promise<void> {
  const options = await deleteOptions(call);
  const { registry } = call.ctx;
  const result = registry.list(call.type, call.info.namespace, listOptions(call.info.query));
  const items: KubeObject[] = [];
  for (const entry of result.entries) {
    try {
      items.push(registry.delete(call.type, entry.namespace, entry.name, options).obj);
    } catch {
      // Already gone between the list and the delete: deletecollection ignores that.
    }
  }
  respond(call.res, call.format, 200, {
    kind: call.type.listKind,
    apiVersion: apiVersionOf(call.type),
    metadata: listMeta(result),
    items: items.map((item) => served(call.type, item)),
  });
}
