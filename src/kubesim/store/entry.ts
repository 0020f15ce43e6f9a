import type { KubeObject } from "../api";

/**
 * One stored version of an object. The object is never mutated after it is
 * stored, so its JSON is computed once and shared by LIST responses and every
 * watcher: that is what keeps a 30,000-pod LIST and 20 watchers cheap.
 */
export class Entry {
  private cachedJson: string | undefined;

  constructor(
    readonly obj: KubeObject,
    readonly rv: number,
  ) {
    if (process.env.KUBESIM_FREEZE) deepFreeze(obj);
  }

  get json(): string {
    this.cachedJson ??= JSON.stringify(this.obj);
    return this.cachedJson;
  }

  get name(): string {
    return this.obj.metadata.name ?? "";
  }

  get namespace(): string {
    return this.obj.metadata.namespace ?? "";
  }
}

export type EventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: EventType;
  /** The catalog key of the resource ("/pods", "apps/deployments"). */
  resource: string;
  entry: Entry;
  /** The version before this change; absent for ADDED. */
  previous?: Entry;
}

function deepFreeze(v: unknown): void {
  if (typeof v !== "object" || v === null || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}
