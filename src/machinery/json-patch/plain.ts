/** A YAML/JSON map as parsed: the only kind of object a config holds. */
export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own-property lookup, so a key like "constructor" never reads the prototype. */
export function own(map: PlainObject, key: string): unknown {
  return Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Sets an own property even for "__proto__", which plain assignment would treat as the prototype. */
export function setOwn(map: PlainObject, key: string, value: unknown): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
