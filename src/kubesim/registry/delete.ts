import { conflict, type KubeObject, sameJson } from "../api";
import { type ResourceType, storageKey } from "../resources/resource-type";
import type { Entry } from "../store";
import { type DeleteOptions, isoNow, type RegistryContext } from "./context";
import { currentEntry } from "./update";

export interface DeleteResult {
  obj: KubeObject;
  /** False when the object lingers: graceful termination or finalizers pending (HTTP 202). */
  removed: boolean;
}

function checkPreconditions(type: ResourceType, entry: Entry, options: DeleteOptions): void {
  const { uid, resourceVersion } = options.preconditions ?? {};
  const name = entry.name;
  if (uid && uid !== entry.obj.metadata.uid) {
    throw conflict(
      type.plural,
      type.group,
      name,
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${entry.obj.metadata.uid}`,
    );
  }
  if (resourceVersion && resourceVersion !== String(entry.rv)) {
    throw conflict(
      type.plural,
      type.group,
      name,
      `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${entry.rv}`,
    );
  }
}

function propagationFinalizer(options: DeleteOptions): string | undefined {
  if (options.propagationPolicy === "Foreground") return "foregroundDeletion";
  if (options.propagationPolicy === "Orphan") return "orphan";
  return undefined;
}

/**
 * DELETE as the generic registry does it: preconditions, graceful deletion
 * (pods), finalizers, and the propagation finalizers the garbage collector acts on.
 */
export function deleteObject(
  ctx: RegistryContext,
  type: ResourceType,
  namespace: string,
  name: string,
  options: DeleteOptions = {},
): DeleteResult {
  const entry = currentEntry(ctx, type, namespace, name);
  checkPreconditions(type, entry, options);
  type.admitDelete?.(entry.obj);
  const key = storageKey(type);
  const next = { ...entry.obj, metadata: { ...entry.obj.metadata } };
  const meta = next.metadata;
  const grace = type.gracePeriod?.(entry.obj, options.gracePeriodSeconds) ?? 0;
  const extra = propagationFinalizer(options);
  if (extra && !meta.deletionTimestamp && !(meta.finalizers ?? []).includes(extra)) {
    meta.finalizers = [...(meta.finalizers ?? []), extra];
  }
  const alreadyDeleting = meta.deletionTimestamp !== undefined;
  const previousGrace = meta.deletionGracePeriodSeconds ?? 0;
  // A later DELETE may only shorten the grace period, never extend it.
  const effectiveGrace = alreadyDeleting ? Math.min(grace, previousGrace) : grace;
  const finalizers = [...(meta.finalizers ?? []), ...(type.specFinalizers?.(next) ?? [])];
  if (effectiveGrace === 0 && finalizers.length === 0) {
    if (options.dryRun) return { obj: next, removed: true };
    return { obj: ctx.store.remove(key, entry).obj, removed: true };
  }
  if (!alreadyDeleting || effectiveGrace < previousGrace) {
    meta.deletionTimestamp = isoNow(ctx, effectiveGrace);
    meta.deletionGracePeriodSeconds = effectiveGrace;
  }
  type.onTerminating?.(next);
  if (options.dryRun || sameJson(next, entry.obj)) return { obj: next, removed: false };
  return { obj: ctx.store.put(key, next).obj, removed: false };
}
