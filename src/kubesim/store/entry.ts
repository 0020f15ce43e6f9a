import type { KubeObject } from "../api";

/**
 * One stored version of an object. The object is never mutated after it is
 * stored, so its JSON is computed once and shared by LIST responses and every
 * watcher: that is what keeps a 30,000-pod LIST and 20 watchers cheap.
 */
export class Entry {
  private cachedJson: Buffer | undefined;
  private cachedProtobuf: Buffer | undefined;

  constructor(
    readonly obj: KubeObject,
    readonly rv: number,
  ) {}

  /**
   * The object's JSON, UTF-8 encoded: responses and watch streams copy it to
   * the socket as it is, and it lives outside the V8 heap the collector scans.
   */
  get json(): Buffer {
    this.cachedJson ??= encode(JSON.stringify(this.obj));
    return this.cachedJson;
  }

  /** The object's protobuf message (no envelope), encoded once by `encode` and shared like the JSON. */
  protobuf(encode: (obj: KubeObject) => Uint8Array): Buffer {
    this.cachedProtobuf ??= Buffer.from(encode(this.obj));
    return this.cachedProtobuf;
  }

  get name(): string {
    return this.obj.metadata.name ?? "";
  }

  get namespace(): string {
    return this.obj.metadata.namespace ?? "";
  }
}

/** Its own allocation, not a slice of Node's shared pool, which a long-lived slice would pin whole. */
function encode(text: string): Buffer {
  const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  bytes.write(text);
  return bytes;
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
