import type { ServerResponse } from "node:http";
import type { KubeObject } from "../api";
import type { ListResult } from "../registry";
import { apiVersionOf, type ResourceType } from "../resources/resource-type";
import type { Entry } from "../store";
import { served, servedJson } from "./served-version";
import { varint } from "./varint";
import { codec, protobufType, type WireFormat } from "./wire-format";

export function listMeta(
  result: Pick<ListResult, "resourceVersion" | "continue" | "remainingItemCount">,
) {
  return {
    resourceVersion: String(result.resourceVersion),
    ...(result.continue ? { continue: result.continue } : {}),
    ...(result.remainingItemCount !== undefined
      ? { remainingItemCount: result.remainingItemCount }
      : {}),
  };
}

/** Bytes of items per socket write. */
const chunkBytes = 512 * 1024;
const comma = Buffer.from(",");

/** Resolves once the response can take more, or has closed and never will. */
function writable(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

/** A list body: what goes before the items, each item's bytes, what goes after. */
interface ListParts {
  contentType: string;
  head: Buffer;
  items: Buffer[];
  /** Bytes written before item i (a comma, a field tag and length). */
  before(i: number): Buffer;
  tail: Buffer;
  /** Items as stored (no version conversion): chunks may be kept with the entries array. */
  cacheable: boolean;
}

/**
 * Streams a list from each entry's cached serialization instead of
 * serializing one huge object, and waits for the socket between chunks: a
 * 30,000-pod LIST never sits in memory as one 60 MiB string or buffer, and
 * watch events and other requests are served while it is being sent.
 * Entries are immutable, so the body is the list as of the request.
 */
export async function writeListBody(
  res: ServerResponse,
  type: ResourceType,
  result: ListResult,
  format: WireFormat = "json",
): Promise<void> {
  const parts =
    format === "protobuf" && !type.crd ? protobufList(type, result) : jsonList(type, result);
  const chunks = itemChunks(result.entries, format, parts);
  let length = parts.head.length + parts.tail.length;
  for (const chunk of chunks) length += chunk.length;
  res.writeHead(200, { "Content-Type": parts.contentType, "Content-Length": length });
  res.write(parts.head);
  for (const chunk of chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await writable(res);
  }
  res.end(parts.tail);
}

const empty = Buffer.alloc(0);

/** A list item field (tag 2, length) around a message. */
function framed(message: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0x12]), varint(message.length), message]);
}

/**
 * The items, copied into chunks of about half a megabyte: TLS encrypts a
 * few large writes much faster than thousands of small ones. A whole,
 * unchanged table is the same entries array every time, so its chunks are
 * kept until the next write replaces the array.
 */
function itemChunks(entries: readonly Entry[], format: WireFormat, parts: ListParts): Buffer[] {
  const cached = chunkCache.get(entries)?.[format];
  if (cached) return cached;
  const chunks: Buffer[] = [];
  let i = 0;
  while (i < parts.items.length) {
    const chunk: Buffer[] = [];
    for (let bytes = 0; bytes < chunkBytes && i < parts.items.length; i++) {
      const separator = parts.before(i);
      const item = parts.items[i] as Buffer;
      if (separator.length > 0) chunk.push(separator);
      chunk.push(item);
      bytes += item.length;
    }
    chunks.push(Buffer.concat(chunk));
  }
  if (parts.cacheable) chunkCache.set(entries, { ...chunkCache.get(entries), [format]: chunks });
  return chunks;
}

const chunkCache = new WeakMap<readonly Entry[], Partial<Record<WireFormat, Buffer[]>>>();

function jsonList(type: ResourceType, result: ListResult): ListParts {
  const meta = JSON.stringify({
    kind: type.listKind,
    apiVersion: apiVersionOf(type),
    metadata: listMeta(result),
  });
  return {
    contentType: "application/json",
    head: Buffer.from(`${meta.slice(0, -1)},"items":[`),
    items: result.entries.map((e: Entry) => servedJson(type, e)),
    before: (i) => (i > 0 ? comma : empty),
    tail: Buffer.from("]}"),
    cacheable: !type.storedAs,
  };
}

/**
 * The protobuf list: envelope head, the list message's ListMeta (field 1),
 * then each item (field 2) from the entry's cached message.
 */
function protobufList(type: ResourceType, result: ListResult): ListParts {
  const { encodeJson, encodeMessage, metaMessage, wrapHead, wrapTail } = codec();
  const meta = Buffer.from(encodeJson(metaMessage("ListMeta"), listMeta(result)));
  const metaField = Buffer.concat([Buffer.from([0x0a]), varint(meta.length), meta]);
  const message = (obj: KubeObject) => encodeMessage(obj) ?? new Uint8Array();
  // Each item is field 2 of the list message, framed once and cached with the entry.
  const items = result.entries.map((e) =>
    type.storedAs ? framed(message(served(type, e.obj))) : e.protobufItem(message),
  );
  let raw = metaField.length;
  for (const item of items) raw += item.length;
  return {
    contentType: protobufType,
    head: Buffer.concat([wrapHead(apiVersionOf(type), type.listKind, raw), metaField]),
    items,
    before: () => empty,
    tail: wrapTail,
    cacheable: !type.storedAs,
  };
}
