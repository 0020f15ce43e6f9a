import type { Entry } from "./entry";

type IndexFn = (entry: Entry) => readonly string[];

const noEntries: ReadonlySet<Entry> = new Set();

/**
 * The objects of one resource, grouped by namespace, with optional secondary
 * indexes (pods by node, objects by owner uid) that controllers and the
 * kubelets query on every change.
 */
export class ResourceTable {
  private readonly byNamespace = new Map<string, Map<string, Entry>>();
  private readonly indexFns = new Map<string, IndexFn>();
  private readonly indexes = new Map<string, Map<string, Set<Entry>>>();
  private sorted: Entry[] | undefined;
  count = 0;

  constructor() {
    // Every resource can own or be owned; the garbage collector and the
    // workload controllers find dependents through this index.
    this.addIndex(
      "owner",
      (entry) => entry.obj.metadata.ownerReferences?.map((ref) => ref.uid) ?? [],
    );
  }

  hasIndex(name: string): boolean {
    return this.indexFns.has(name);
  }

  addIndex(name: string, fn: IndexFn): void {
    this.indexFns.set(name, fn);
    const index = new Map<string, Set<Entry>>();
    this.indexes.set(name, index);
    for (const entry of this.all()) this.indexEntry(name, fn, entry, true);
  }

  get(namespace: string, name: string): Entry | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  set(entry: Entry, previous: Entry | undefined): void {
    let names = this.byNamespace.get(entry.namespace);
    if (!names) {
      names = new Map();
      this.byNamespace.set(entry.namespace, names);
    }
    names.set(entry.name, entry);
    if (!previous) this.count++;
    this.sorted = undefined;
    this.reindex(previous, entry);
  }

  delete(entry: Entry): void {
    const names = this.byNamespace.get(entry.namespace);
    if (!names?.delete(entry.name)) return;
    if (names.size === 0) this.byNamespace.delete(entry.namespace);
    this.count--;
    this.sorted = undefined;
    this.reindex(entry, undefined);
  }

  /** Entries ordered by namespace then name, as etcd keys are; cached between writes. */
  list(namespace?: string): Entry[] {
    if (namespace !== undefined) {
      return [...(this.byNamespace.get(namespace)?.values() ?? [])].sort(byName);
    }
    this.sorted ??= [...this.all()].sort(byKey);
    return this.sorted;
  }

  /** A namespace's entries in no particular order: for controllers, which need no sorting. */
  inNamespace(namespace: string): Iterable<Entry> {
    return this.byNamespace.get(namespace)?.values() ?? [];
  }

  *all(): Iterable<Entry> {
    for (const names of this.byNamespace.values()) yield* names.values();
  }

  byIndex(name: string, value: string): Entry[] {
    return [...this.indexed(name, value)];
  }

  /** The live set behind byIndex, for callers that only iterate it before the next write. */
  indexed(name: string, value: string): ReadonlySet<Entry> {
    return this.indexes.get(name)?.get(value) ?? noEntries;
  }

  private reindex(before: Entry | undefined, after: Entry | undefined): void {
    for (const [name, fn] of this.indexFns) {
      if (before) this.indexEntry(name, fn, before, false);
      if (after) this.indexEntry(name, fn, after, true);
    }
  }

  private indexEntry(name: string, fn: IndexFn, entry: Entry, add: boolean): void {
    const index = this.indexes.get(name);
    if (!index) return;
    for (const value of fn(entry)) {
      let set = index.get(value);
      if (add) {
        if (!set) {
          set = new Set();
          index.set(value, set);
        }
        set.add(entry);
      } else if (set) {
        set.delete(entry);
        if (set.size === 0) index.delete(value);
      }
    }
  }
}

function byName(a: Entry, b: Entry): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function byKey(a: Entry, b: Entry): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return byName(a, b);
}
