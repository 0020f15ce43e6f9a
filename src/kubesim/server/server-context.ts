import type { IncomingMessage, ServerResponse } from "node:http";
import type { StatusError } from "../api";
import type { Registry } from "../registry";
import type { ResourceType } from "../resources/resource-type";
import type { ResourceRequest } from "./request-info";
import type { WireFormat } from "./wire-format";

export interface ServerContext {
  registry: Registry;
  /** How often a watch that allows bookmarks receives one. */
  bookmarkIntervalMs: number;
  /** How often a followed pod log prints a simulated line. */
  logLineIntervalMs: number;
  /** host:port clients reach the server at, for /api. */
  serverAddress: string;
  /** Open watch streams, so they can be cut as an API server restart would. */
  watches: Set<{ close(): void }>;
  /** Faults a test injects: the error a request gets instead of being served, if any. */
  faults?: FaultRule;
}

/** Decides, for each resource request, whether it fails (and how) instead of being served. */
export type FaultRule = (request: ResourceRequest) => StatusError | undefined;

/** Everything a handler needs about the request it serves. */
export interface Call {
  ctx: ServerContext;
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceRequest;
  type: ResourceType;
  namespace: string;
  /** The response format the client negotiated. */
  format: WireFormat;
}

export function dryRunOf(query: URLSearchParams): boolean {
  return query.getAll("dryRun").includes("All");
}
