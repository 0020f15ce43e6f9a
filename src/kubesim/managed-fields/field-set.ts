/**
 * A set of field paths, as managedFields' fieldsV1 describes them. A path
 * is a list of elements: `f:name` (a field of an object), `k:{"name":"c"}`
 * (an item of a keyed list), `v:"x"` (an item of a set list), `i:0` (a list
 * index). Paths are kept as strings joined by a separator no element holds.
 */
export type FieldSet = Set<string>;

const separator = "\u0000";

export function pathKey(elements: readonly string[]): string {
  return elements.join(separator);
}

export function pathElements(key: string): string[] {
  return key === "" ? [] : key.split(separator);
}

/** The keys of every proper ancestor of a path. */
export function ancestors(key: string): string[] {
  const elements = pathElements(key);
  return elements.slice(1).map((_, i) => pathKey(elements.slice(0, i + 1)));
}

export function union(a: FieldSet, b: FieldSet): FieldSet {
  return new Set([...a, ...b]);
}

export function difference(a: FieldSet, b: FieldSet): FieldSet {
  return new Set([...a].filter((p) => !b.has(p)));
}

export function intersection(a: FieldSet, b: FieldSet): FieldSet {
  return new Set([...a].filter((p) => b.has(p)));
}

type Trie = { [element: string]: Trie };

/** fieldsV1 → set: a leaf is a member, and so is a node marked with ".". */
export function fromFieldsV1(fields: unknown): FieldSet {
  const set: FieldSet = new Set();
  const walk = (node: unknown, path: string[]) => {
    if (typeof node !== "object" || node === null) return;
    const keys = Object.keys(node);
    if (path.length > 0 && (keys.length === 0 || keys.includes("."))) set.add(pathKey(path));
    for (const key of keys) if (key !== ".") walk((node as Trie)[key], [...path, key]);
  };
  walk(fields, []);
  return set;
}

/** set → fieldsV1, in the order the API server writes it: "." first, then f: < k: < v: < i:, then by text. */
export function toFieldsV1(set: FieldSet): Trie {
  const root: Trie = {};
  for (const key of set) {
    let node = root;
    for (const element of pathElements(key)) node = node[element] ??= {};
  }
  const order = (a: string, b: string) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  const sort = (node: Trie, path: string[]): Trie => {
    const keys = Object.keys(node).sort(order);
    const sorted: Trie = {};
    if (keys.length > 0 && path.length > 0 && set.has(pathKey(path))) sorted["."] = {};
    for (const key of keys) sorted[key] = sort(node[key] as Trie, [...path, key]);
    return sorted;
  };
  return sort(root, []);
}

function rank(element: string): number {
  return ["f:", "k:", "v:", "i:"].indexOf(element.slice(0, 2));
}

/** A path as conflicts name it: `.data.a`, `.spec.containers[name="c"].image`, `.metadata.finalizers[="x"]`. */
export function formatPath(key: string): string {
  return pathElements(key)
    .map((element) => {
      const value = element.slice(2);
      if (element.startsWith("f:")) return `.${value}`;
      if (element.startsWith("v:")) return `[=${value}]`;
      if (element.startsWith("i:")) return `[${value}]`;
      const fields = Object.entries(JSON.parse(value) as Record<string, unknown>);
      return `[${fields.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}]`;
    })
    .join("");
}
