import { type KubeObject, sameJson } from "../api";
import { atomicLists, builtinLists, recordUpdate } from "../managed-fields";
import { apiVersionOf, type ResourceType } from "../resources/resource-type";
import { isoNow, type RegistryContext, type WriteOptions } from "./context";

/**
 * Keeps metadata.managedFields as the API server does for a client's
 * write: a body that brings its own managedFields sets them; otherwise the
 * stored ones carry over and the writer gains the fields it changed.
 * In-process writes (controllers) and server-side apply (which sets them
 * itself) are left alone.
 */
export function trackManagedFields(
  ctx: RegistryContext,
  type: ResourceType,
  before: KubeObject | undefined,
  after: KubeObject,
  options: WriteOptions,
): void {
  if (!options.manager || options.managedFieldsSet) return;
  const brought = after.metadata.managedFields;
  const own = Array.isArray(brought) && brought.length > 0;
  if (own && !sameJson(brought, before?.metadata.managedFields)) return;
  const base = before && { ...before, metadata: { ...before.metadata } };
  const writer = {
    manager: options.manager,
    apiVersion: apiVersionOf(type),
    time: isoNow(ctx),
    ...(options.subresource ? { subresource: options.subresource } : {}),
  };
  recordUpdate(base, after, writer, type.crd ? atomicLists : builtinLists);
}
