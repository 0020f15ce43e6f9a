import type { KubeObject } from "../api";

/**
 * One stored version of an object. The object is never mutated after it is
 * stored, so its JSON is computed once and shared by LIST responses and every
 * watcher: that is what keeps a 30,000-pod LIST and 20 watchers cheap.
 */
export class Entry {
  private cachedJson: Buffer | undefined;
  private cachedProtobuf: Buffer | undefined;
  private protobufHead = 0;

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

  /**
   * The object's protobuf message (no envelope), encoded once by `encode`
   * and shared like the JSON. It is kept framed as a list's item field
   * (tag 2, length, message), which is how LIST responses send it.
   */
  protobufItem(encode: (obj: KubeObject) => Uint8Array): Buffer {
    if (this.cachedProtobuf) return this.cachedProtobuf;
    const message = encode(this.obj);
    const head = [0x12];
    for (let rest = message.length; ; rest = Math.floor(rest / 128)) {
      if (rest <= 0x7f) {
        head.push(rest);
        break;
      }
      head.push((rest & 0x7f) | 0x80);
    }
    this.cachedProtobuf = Buffer.allocUnsafeSlow(head.length + message.length);
    this.cachedProtobuf.set(head, 0);
    this.cachedProtobuf.set(message, head.length);
    this.protobufHead = head.length;
    return this.cachedProtobuf;
  }

  /** The message alone (a watch event's object), a view into the cached item. */
  protobufMessage(encode: (obj: KubeObject) => Uint8Array): Buffer {
    return this.protobufItem(encode).subarray(this.protobufHead);
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
