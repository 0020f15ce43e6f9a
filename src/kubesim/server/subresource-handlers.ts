import { badRequest, field, isJsonObject, methodNotAllowed, pageNotFound } from "../api";
import { evictPod } from "../eviction";
import { applyPatch } from "../patch";
import { bindPod } from "../registry";
import { decodeJson, mediaType, readBody } from "./http-io";
import { handleLog } from "./log-handler";
import { readObject } from "./request-body";
import { respond } from "./respond";
import { type Call, dryRunOf } from "./server-context";
import { handleGet, handlePatch, handleUpdate } from "./verb-handlers";

/** A subresource's body: its own kind (an Eviction, a Binding, a Scale), in any served format. */
function bodyOf(call: Call, apiVersion: string, kind: string): Promise<unknown> {
  return readObject(call, { apiVersion, kind });
}

function scaleOf(call: Call) {
  const obj = call.ctx.registry.get(call.type, call.namespace, call.info.name ?? "");
  const labels = (field(obj, "spec", "selector", "matchLabels") ?? {}) as Record<string, string>;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: field(obj, "spec", "replicas") ?? 0 },
    status: {
      replicas: field(obj, "status", "replicas") ?? 0,
      selector: Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(","),
    },
  };
}

/** GET, PUT and PATCH of autoscaling/v1 Scale: only spec.replicas can change. */
async function handleScale(call: Call): Promise<void> {
  const { verb } = call.info;
  if (verb === "get") return respond(call.res, call.format, 200, scaleOf(call));
  if (verb !== "update" && verb !== "patch")
    throw methodNotAllowed(`${verb} is not supported on ${call.type.plural}/scale`);
  const current = scaleOf(call);
  const body =
    verb === "patch"
      ? applyPatch(
          current,
          decodeJson(await readBody(call.req), "application/json"),
          mediaType(call.req),
          true,
        )
      : await bodyOf(call, "autoscaling/v1", "Scale");
  const replicas = field(body, "spec", "replicas");
  if (!Number.isInteger(replicas) || (replicas as number) < 0)
    throw badRequest("spec.replicas must be a non-negative integer");
  call.ctx.registry.mutate(call.type, call.namespace, call.info.name ?? "", (obj) => {
    (obj.spec as Record<string, unknown>).replicas = replicas;
  });
  respond(call.res, call.format, 200, scaleOf(call));
}

async function handleEviction(call: Call): Promise<void> {
  if (call.info.verb !== "create")
    throw methodNotAllowed("only POST is supported on pods/eviction");
  const result = evictPod(
    call.ctx.registry,
    call.namespace,
    call.info.name ?? "",
    await bodyOf(call, "policy/v1", "Eviction"),
    dryRunOf(call.info.query),
  );
  respond(call.res, call.format, result.code, result.body);
}

async function handleBinding(call: Call): Promise<void> {
  if (call.info.verb !== "create") throw methodNotAllowed("only POST is supported on pods/binding");
  const body = await bodyOf(call, "v1", "Binding");
  const target = field(body, "target", "name");
  if (!isJsonObject(body) || typeof target !== "string" || target === "")
    throw badRequest("target.name is required for a Binding");
  bindPod(call.ctx.registry, call.namespace, call.info.name ?? "", target);
  respond(call.res, call.format, 201, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    code: 201,
  });
}

/** Status, namespace finalize, and the pod subresources (eviction, log, binding), plus scale. */
export async function handleSubresource(call: Call): Promise<void> {
  const sub = call.info.subresource ?? "";
  const known =
    sub === "finalize"
      ? call.type.plural === "namespaces"
      : call.type.subresources.includes(sub as never);
  if (!known) throw pageNotFound();
  const verb = call.info.verb;
  switch (sub) {
    case "status":
    case "finalize":
      if (verb === "get") return handleGet(call);
      if (verb === "update") return handleUpdate(call, sub === "status" ? "status" : undefined);
      if (verb === "patch") return handlePatch(call, "status");
      throw methodNotAllowed(`${verb} is not supported on ${call.type.plural}/${sub}`);
    case "eviction":
      return handleEviction(call);
    case "binding":
      return handleBinding(call);
    case "log":
      return handleLog(call);
    case "scale":
      return handleScale(call);
    default:
      throw pageNotFound();
  }
}
