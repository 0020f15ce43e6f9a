import type { Catalog } from "../resources/catalog";
import type { ResourceType } from "../resources/resource-type";
import type { ObjectStore } from "../store";

/** What every registry operation works on. */
export interface RegistryContext {
  store: ObjectStore;
  catalog: Catalog;
  now(): number;
}

export interface WriteOptions {
  dryRun?: boolean;
  /** `status` writes only the status; anything else ignores the status. */
  subresource?: "status";
  /** In-process callers hand over an object they own; it is used without a defensive copy. */
  trusted?: boolean;
  /** The write sets spec and status together, as pods/binding does on a real server. */
  withStatus?: boolean;
  /** Who writes, for managedFields (HTTP writes); in-process controllers leave them as they are. */
  manager?: string;
  /** The object's managedFields are already those of this write (server-side apply). */
  managedFieldsSet?: boolean;
}

export interface DeleteOptions {
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
}

export function hasStatus(type: ResourceType): boolean {
  return type.subresources.includes("status");
}

export function isoNow(ctx: RegistryContext, offsetSeconds = 0): string {
  return new Date(ctx.now() + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
