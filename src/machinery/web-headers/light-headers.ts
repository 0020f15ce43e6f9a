/**
 * The WHATWG `Headers` class, as the Fetch standard defines it, without the
 * weight of Node 20's own: Node builds its `Headers` from the bundled undici,
 * and the first use loads all of undici (fetch, WebSocket, llhttp in wasm),
 * ~12 MiB resident and ~30 ms of start for the handful of header maps
 * connect-es builds per call. A differential property test keeps this class
 * observably equal to undici's.
 */
type HeadersInit = ConstructorParameters<typeof Headers>[0];
type EntryIterator = ReturnType<Headers["entries"]>;
type StringIterator = ReturnType<Headers["keys"]>;

export class LightHeaders implements Headers {
  /** Lower-case name → values in insertion order. */
  readonly #values = new Map<string, string[]>();

  constructor(init?: HeadersInit) {
    if (init === undefined) return;
    if (init === null || typeof init !== "object") {
      throw new TypeError(
        "Headers: init must be a headers object, a sequence of pairs or a record",
      );
    }
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<Iterable<string>>) {
        const items = [...pair];
        if (items.length !== 2)
          throw new TypeError("Headers: each init pair needs a name and a value");
        this.append(String(items[0]), String(items[1]));
      }
      return;
    }
    for (const [name, value] of Object.entries(init)) this.append(name, String(value));
  }

  append(name: string, value: string): void {
    const key = checkedName(name);
    const values = this.#values.get(key);
    const normalized = checkedValue(value, key);
    if (values) values.push(normalized);
    else this.#values.set(key, [normalized]);
  }

  set(name: string, value: string): void {
    const key = checkedName(name);
    this.#values.set(key, [checkedValue(value, key)]);
  }

  get(name: string): string | null {
    return this.#values.get(checkedName(name))?.join(", ") ?? null;
  }

  has(name: string): boolean {
    return this.#values.has(checkedName(name));
  }

  delete(name: string): void {
    this.#values.delete(checkedName(name));
  }

  getSetCookie(): string[] {
    return [...(this.#values.get("set-cookie") ?? [])];
  }

  forEach(
    callback: (value: string, name: string, parent: Headers) => void,
    thisArg?: unknown,
  ): void {
    for (const [name, value] of this.#sortedAndCombined())
      callback.call(thisArg, value, name, this);
  }

  entries(): EntryIterator {
    return this.#sortedAndCombined()[Symbol.iterator]();
  }

  keys(): StringIterator {
    return this.#sortedAndCombined()
      .map(([name]) => name)
      [Symbol.iterator]();
  }

  values(): StringIterator {
    return this.#sortedAndCombined()
      .map(([, value]) => value)
      [Symbol.iterator]();
  }

  [Symbol.iterator](): EntryIterator {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }

  /** The standard's "sort and combine": set-cookie values stay separate. */
  #sortedAndCombined(): [string, string][] {
    const names = [...this.#values.keys()].sort();
    const list: [string, string][] = [];
    for (const name of names) {
      const values = this.#values.get(name) ?? [];
      if (name === "set-cookie") for (const value of values) list.push([name, value]);
      else list.push([name, values.join(", ")]);
    }
    return list;
  }
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const httpWhitespace = /^[\t\n\r ]+|[\t\n\r ]+$/g;
// After trimming, a value must not hold NUL, CR or LF; every code unit must be a byte.
const forbiddenInValue = /[\0\n\r\u0100-\uffff]/;

function checkedName(name: string): string {
  const text = String(name);
  if (!token.test(text)) throw new TypeError(`Headers: invalid header name "${text}"`);
  return text.toLowerCase();
}

function checkedValue(value: string, name: string): string {
  const normalized = String(value).replace(httpWhitespace, "");
  if (forbiddenInValue.test(normalized)) {
    throw new TypeError(`Headers: invalid value for header "${name}"`);
  }
  return normalized;
}
