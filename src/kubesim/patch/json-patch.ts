import { getOwn, isJsonObject, setOwn } from "../api";

export class PatchError extends Error {
  override name = "PatchError";
}

interface Operation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(doc: unknown, tokens: string[]): { parent: unknown; key: string } {
  let current = doc;
  for (const token of tokens.slice(0, -1)) {
    current = Array.isArray(current)
      ? current[Number(token)]
      : isJsonObject(current)
        ? current[token]
        : undefined;
    if (current === undefined)
      throw new PatchError(`doc is missing path: "/${tokens.join("/")}": missing value`);
  }
  return { parent: current, key: tokens.at(-1) ?? "" };
}

function arrayIndex(list: unknown[], key: string, forAdd: boolean): number {
  if (forAdd && key === "-") return list.length;
  const index = Number(key);
  const max = forAdd ? list.length : list.length - 1;
  if (!/^\d+$/.test(key) || index > max)
    throw new PatchError(`Unable to access invalid index: ${key}`);
  return index;
}

function get(doc: unknown, path: string): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens);
  const value = Array.isArray(parent)
    ? parent[arrayIndex(parent, key, false)]
    : isJsonObject(parent)
      ? getOwn(parent, key)
      : undefined;
  if (value === undefined) throw new PatchError(`doc is missing path: "${path}": missing value`);
  return value;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else if (isJsonObject(parent)) setOwn(parent, key, value);
  else throw new PatchError(`doc is missing path: "${path}": missing value`);
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const tokens = pointer(path);
  const { parent, key } = parentOf(doc, tokens);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, false), 1);
  else if (isJsonObject(parent) && Object.hasOwn(parent, key)) delete parent[key];
  else throw new PatchError(`Unable to remove nonexistent key: ${key}: missing value`);
  return doc;
}

function apply(doc: unknown, op: Operation): unknown {
  switch (op.op) {
    case "add":
      return add(doc, op.path, structuredClone(op.value));
    case "remove":
      return remove(doc, op.path);
    case "replace":
      get(doc, op.path);
      return add(remove(doc, op.path), op.path, structuredClone(op.value));
    case "move": {
      const value = get(doc, op.from ?? "");
      return add(remove(doc, op.from ?? ""), op.path, value);
    }
    case "copy":
      return add(doc, op.path, structuredClone(get(doc, op.from ?? "")));
    case "test":
      if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value))
        throw new PatchError(`testing value ${op.path} failed: test failed`);
      return doc;
    default:
      throw new PatchError(`Unexpected kind: ${op.op}`);
  }
}

/** RFC 6902. Works on a copy; a failed operation leaves the original untouched. */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch))
    throw new PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  let result = structuredClone(doc);
  for (const op of patch) {
    if (!isJsonObject(op) || typeof op.op !== "string" || typeof op.path !== "string") {
      throw new PatchError("the patch operation is missing its op or path");
    }
    result = apply(result, op as unknown as Operation);
  }
  return result;
}
