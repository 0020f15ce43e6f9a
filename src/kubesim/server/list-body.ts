import type { ServerResponse } from "node:http";
import type { ListResult } from "../registry";
import { apiVersionOf, type ResourceType } from "../resources/resource-type";
import type { Entry } from "../store";

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

/** Items `from` to `to` of the list, each preceded by a comma but the very first. */
function itemsChunk(entries: Entry[], from: number, to: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = from; i < to; i++) {
    if (i > 0) parts.push(comma);
    parts.push((entries[i] as Entry).json);
  }
  return Buffer.concat(parts);
}

/**
 * Streams the list JSON from each entry's cached serialization instead of
 * serializing one huge object, and waits for the socket between chunks: a
 * 30,000-pod LIST never sits in memory as one 60 MiB string or buffer, and
 * watch events and other requests are served while it is being sent.
 * Entries are immutable, so the body is the list as of the request.
 */
export async function writeListBody(
  res: ServerResponse,
  type: ResourceType,
  result: ListResult,
): Promise<void> {
  const meta = JSON.stringify({
    kind: type.listKind,
    apiVersion: apiVersionOf(type),
    metadata: listMeta(result),
  });
  const head = Buffer.from(`${meta.slice(0, -1)},"items":[`);
  const entries = result.entries;
  let length = head.length + Math.max(0, entries.length - 1) + 2;
  for (const entry of entries) length += entry.json.length;
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": length });
  res.write(head);
  for (let i = 0; i < entries.length; i += chunkItems) {
    if (res.destroyed) return;
    if (!res.write(itemsChunk(entries, i, Math.min(entries.length, i + chunkItems))))
      await writable(res);
  }
  res.end("]}");
}
