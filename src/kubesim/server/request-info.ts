import type { IncomingMessage } from "node:http";
import { badRequest } from "../api";
import { boolParam } from "./query-options";

export type Verb =
  | "get"
  | "list"
  | "watch"
  | "create"
  | "update"
  | "patch"
  | "delete"
  | "deletecollection";

/** A resource request decoded from its path, as apiserver's RequestInfoFactory does. */
export interface ResourceRequest {
  group: string;
  version: string;
  namespace?: string;
  resource: string;
  name?: string;
  subresource?: string;
  verb: Verb;
  query: URLSearchParams;
}

/** Namespace subresources stay on the namespace instead of naming a resource inside it. */
const namespaceSubresources = new Set(["status", "finalize"]);

function verbOf(method: string, named: boolean, watch: boolean): Verb | undefined {
  switch (method) {
    case "GET":
    case "HEAD":
      if (watch) return "watch";
      return named ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return named ? "delete" : "deletecollection";
    default:
      return undefined;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`invalid URL escape in ${JSON.stringify(segment)}`);
  }
}

/** Returns undefined for paths that are not resource requests (discovery, health, openapi). */
export function parseResourceRequest(req: IncomingMessage): ResourceRequest | undefined {
  const url = new URL(req.url ?? "/", "https://kubesim");
  const parts = url.pathname
    .split("/")
    .filter((p) => p !== "")
    .map(decodeSegment);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    version = parts[1] ?? "";
    rest = parts.slice(2);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1] ?? "";
    version = parts[2] ?? "";
    rest = parts.slice(3);
  } else return undefined;
  let watch = boolParam(url.searchParams, "watch");
  if (rest[0] === "watch") {
    watch = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  if (rest[0] === "namespaces" && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !namespaceSubresources.has(rest[2] ?? "")) rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (!resource || rest.length > 3) return undefined;
  const verb = verbOf(req.method ?? "GET", name !== undefined, watch);
  if (!verb) return undefined;
  return {
    group,
    version,
    resource,
    verb,
    query: url.searchParams,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}
