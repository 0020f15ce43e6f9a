import { badRequest, conflict, type KubeObject, notFound, sameJson } from "../api";
import { type ResourceType, storageKey } from "../resources/resource-type";
import type { Entry } from "../store";
import { decodeBody, defaultAndValidate } from "./admission";
import { hasStatus, type RegistryContext, type WriteOptions } from "./context";
import { trackManagedFields } from "./track-managed-fields";

const systemMeta = [
  "uid",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "namespace",
  "generation",
] as const;

export function currentEntry(
  ctx: RegistryContext,
  type: ResourceType,
  namespace: string,
  name: string,
): Entry {
  const entry = ctx.store.get(storageKey(type), type.namespaced ? namespace : "", name);
  if (!entry) throw notFound(type.plural, type.group, name);
  return entry;
}

/** Optimistic concurrency: a write naming an older resourceVersion is a 409. */
export function checkResourceVersion(
  type: ResourceType,
  name: string,
  requested: string | undefined,
  current: number,
): void {
  if (requested && requested !== String(current)) {
    throw conflict(
      type.plural,
      type.group,
      name,
      "the object has been modified; please apply your changes to the latest version and try again",
    );
  }
}

/** Everything but metadata and status: what `generation` counts changes of. */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata, status, apiVersion, kind, ...rest } = obj;
  return rest;
}

/** Merges the request into the stored object as the update strategies of the server do. */
function mergeForUpdate(
  type: ResourceType,
  old: KubeObject,
  incoming: KubeObject,
  options: WriteOptions,
): KubeObject {
  // Stored objects are immutable, so the new version shares what it keeps of the old one.
  if (options.subresource === "status")
    return { ...old, status: incoming.status, metadata: { ...old.metadata } };
  const next = incoming;
  for (const key of systemMeta) {
    if (old.metadata[key] === undefined) delete next.metadata[key];
    else (next.metadata as Record<string, unknown>)[key] = old.metadata[key];
  }
  if (hasStatus(type) && !options.withStatus) {
    if (old.status === undefined) delete next.status;
    else next.status = old.status;
  }
  return next;
}

export function updateObject(
  ctx: RegistryContext,
  type: ResourceType,
  namespace: string,
  name: string,
  body: unknown,
  options: WriteOptions = {},
): { obj: KubeObject; removed: boolean } {
  const decoded = options.trusted ? (body as KubeObject) : decodeBody(type, body);
  // Its own metadata: a patched body may share it with the stored version.
  const incoming = { ...decoded, metadata: { ...decoded.metadata } };
  if (incoming.metadata.name !== undefined && incoming.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`,
    );
  }
  incoming.metadata.name = name;
  const current = currentEntry(ctx, type, namespace, name);
  const uid = incoming.metadata.uid;
  if (uid && uid !== current.obj.metadata.uid) {
    throw conflict(
      type.plural,
      type.group,
      name,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${current.obj.metadata.uid}`,
    );
  }
  checkResourceVersion(type, name, incoming.metadata.resourceVersion, current.rv);
  const next = mergeForUpdate(type, current.obj, incoming, options);
  defaultAndValidate(type, next, current.obj);
  const generation = current.obj.metadata.generation ?? 1;
  const specChanged =
    options.subresource !== "status" && !sameJson(specPart(next), specPart(current.obj));
  next.metadata.generation = specChanged ? generation + 1 : generation;
  next.metadata.resourceVersion = String(current.rv);
  trackManagedFields(ctx, type, current.obj, next, options);
  if (sameJson(next, current.obj)) return { obj: current.obj, removed: false };
  if (options.dryRun) return { obj: next, removed: false };
  return commit(ctx, type, next, current);
}

/** An object whose deletion waits only on finalizers goes once the last one is removed. */
function commit(ctx: RegistryContext, type: ResourceType, next: KubeObject, current: Entry) {
  const meta = next.metadata;
  const pending = (meta.finalizers ?? []).length + (type.specFinalizers?.(next).length ?? 0);
  const finalized = meta.deletionTimestamp && pending === 0 && !meta.deletionGracePeriodSeconds;
  if (finalized) return { obj: ctx.store.remove(storageKey(type), current).obj, removed: true };
  return { obj: ctx.store.put(storageKey(type), next).obj, removed: false };
}
