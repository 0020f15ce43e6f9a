import { badRequest, forbidden, invalid, isJsonObject, type KubeObject, notFound } from "../api";
import { namespaces } from "../resources/core/namespace";
import { apiVersionOf, type ResourceType, storageKey } from "../resources/resource-type";
import type { RegistryContext } from "./context";

/**
 * Turns a decoded request body into an object of `type`, rejecting what the
 * server's decoder would: not an object, no kind, or another kind.
 */
export function decodeBody(type: ResourceType, body: unknown): KubeObject {
  if (!isJsonObject(body)) throw badRequest("the body of the request must be a JSON object");
  const expected = apiVersionOf(type);
  // Like the server's decoder, the endpoint supplies the kind a body leaves out.
  const kind = body.kind ?? type.kind;
  if (kind !== type.kind || (body.apiVersion !== undefined && body.apiVersion !== expected)) {
    throw badRequest(
      `the object provided is unrecognized (must be of type ${type.kind}): ${String(body.apiVersion ?? "")}, Kind=${String(kind)}`,
    );
  }
  if (body.metadata !== undefined && !isJsonObject(body.metadata)) {
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: metadata must be an object`,
    );
  }
  const obj = structuredClone(body) as KubeObject;
  obj.apiVersion = type.storedAs ?? expected;
  obj.kind = type.kind;
  obj.metadata ??= {};
  type.decode?.(obj);
  return obj;
}

/** Defaults then validation; 422 with every cause, as the server reports them. */
export function defaultAndValidate(type: ResourceType, obj: KubeObject, old?: KubeObject): void {
  type.defaults?.(obj);
  const causes = type.validate?.(obj, old) ?? [];
  if (causes.length > 0) throw invalid(type.kind, type.group, obj.metadata.name ?? "", causes);
}

/** The NamespaceLifecycle admission plugin: the namespace must exist and not be terminating. */
export function admitNamespace(
  ctx: RegistryContext,
  type: ResourceType,
  namespace: string,
  name: string,
): void {
  if (!type.namespaced) return;
  const ns = ctx.store.get(storageKey(namespaces), "", namespace);
  if (!ns) throw notFound("namespaces", "", namespace);
  if (ns.obj.metadata.deletionTimestamp) {
    throw forbidden(
      type.plural,
      type.group,
      name,
      `unable to create new content in namespace ${namespace} because it is being terminated`,
    );
  }
}
