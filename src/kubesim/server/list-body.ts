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

/** Items per socket write: about half a megabyte of pods. */
const chunkItems = 200;
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
  const separators = parts.items.map((_, i) => parts.before(i));
  let length = parts.head.length + parts.tail.length;
  for (let i = 0; i < parts.items.length; i++)
    length += (separators[i]?.length ?? 0) + (parts.items[i]?.length ?? 0);
  res.writeHead(200, { "Content-Type": parts.contentType, "Content-Length": length });
  res.write(parts.head);
  for (let from = 0; from < parts.items.length; from += chunkItems) {
    if (res.destroyed) return;
    const chunk: Buffer[] = [];
    for (let i = from; i < Math.min(parts.items.length, from + chunkItems); i++)
      chunk.push(separators[i] as Buffer, parts.items[i] as Buffer);
    if (!res.write(Buffer.concat(chunk))) await writable(res);
  }
  res.end(parts.tail);
}

function jsonList(type: ResourceType, result: ListResult): ListParts {
  const meta = JSON.stringify({
    kind: type.listKind,
    apiVersion: apiVersionOf(type),
    metadata: listMeta(result),
  });
  const empty = Buffer.alloc(0);
  return {
    contentType: "application/json",
    head: Buffer.from(`${meta.slice(0, -1)},"items":[`),
    items: result.entries.map((e: Entry) => servedJson(type, e)),
    before: (i) => (i > 0 ? comma : empty),
    tail: Buffer.from("]}"),
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
  const items = result.entries.map((e) =>
    type.storedAs ? Buffer.from(message(served(type, e.obj))) : e.protobuf(message),
  );
  const before = items.map((item) => Buffer.concat([Buffer.from([0x12]), varint(item.length)]));
  let raw = metaField.length;
  for (let i = 0; i < items.length; i++) raw += (before[i]?.length ?? 0) + (items[i]?.length ?? 0);
  return {
    contentType: protobufType,
    head: Buffer.concat([wrapHead(apiVersionOf(type), type.listKind, raw), metaField]),
    items,
    before: (i) => before[i] as Buffer,
    tail: wrapTail,
  };
}
