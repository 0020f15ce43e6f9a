import type { ServerResponse } from "node:http";
import type { ListResult } from "../registry";
import { apiVersionOf, type ResourceType } from "../resources/resource-type";

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

const chunkItems = 500;

/**
 * Streams the list JSON from each entry's cached serialization instead of
 * serializing one huge object: a 30,000-pod LIST is a few hundred writes of
 * joined strings, never one 60 MiB string.
 */
export function writeListBody(res: ServerResponse, type: ResourceType, result: ListResult): void {
  const head = JSON.stringify({
    kind: type.listKind,
    apiVersion: apiVersionOf(type),
    metadata: listMeta(result),
  });
  res.writeHead(200, { "Content-Type": "application/json" });
  res.write(`${head.slice(0, -1)},"items":[`);
  const entries = result.entries;
  for (let i = 0; i < entries.length; i += chunkItems) {
    const chunk = entries
      .slice(i, i + chunkItems)
      .map((e) => e.json)
      .join(",");
    res.write(i === 0 ? chunk : `,${chunk}`);
  }
  res.end("]}");
}
