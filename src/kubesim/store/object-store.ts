import type { KubeObject } from "../api";
import { Entry, type StoreEvent } from "./entry";
import { EventLog } from "./event-log";
import { ResourceTable } from "./resource-table";

export type StoreListener = (event: StoreEvent) => void;

/**
 * The history is kept short (like the API server's watch cache, not etcd):
 * every retained version holds a whole object, and at 30,000 pods memory
 * matters more than letting very old watches resume instead of re-listing.
 *
 * The in-memory etcd of kubesim: versioned objects per resource, one global
 * resourceVersion counter, a change history for watches and synchronous
 * listeners. State lives only in memory; a restart starts an empty cluster.
 */
export class ObjectStore {
  private rv = 1;
  private readonly tables = new Map<string, ResourceTable>();
  private readonly listeners = new Set<StoreListener>();
  readonly log: EventLog;

  constructor(historySize = 10_000) {
    this.log = new EventLog(historySize);
  }

  get resourceVersion(): number {
    return this.rv;
  }

  table(resource: string): ResourceTable {
    let table = this.tables.get(resource);
    if (!table) {
      table = new ResourceTable();
      this.tables.set(resource, table);
    }
    return table;
  }

  get(resource: string, namespace: string, name: string): Entry | undefined {
    return this.tables.get(resource)?.get(namespace, name);
  }

  /** Stores a new version; the caller has already checked preconditions. */
  put(resource: string, obj: KubeObject): Entry {
    const rv = ++this.rv;
    obj.metadata.resourceVersion = String(rv);
    const entry = new Entry(obj, rv);
    const table = this.table(resource);
    const previous = table.get(entry.namespace, entry.name);
    table.set(entry, previous);
    this.emit({ type: previous ? "MODIFIED" : "ADDED", resource, entry, previous });
    return entry;
  }

  /** Removes an object; the DELETED event carries it with a fresh resourceVersion. */
  remove(resource: string, current: Entry): Entry {
    const rv = ++this.rv;
    const obj = {
      ...current.obj,
      metadata: { ...current.obj.metadata, resourceVersion: String(rv) },
    };
    const entry = new Entry(obj, rv);
    this.table(resource).delete(current);
    this.emit({ type: "DELETED", resource, entry, previous: current });
    return entry;
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dropResource(resource: string): void {
    this.tables.delete(resource);
  }

  private emit(event: StoreEvent): void {
    this.log.append(event);
    for (const listener of this.listeners) listener(event);
  }
}
