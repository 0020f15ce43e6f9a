import { isIP } from "node:net";
import { KeelsonError } from "../errors";
import type { ClientContext } from "./client-config";

export const defaultApiPort = 50000;

/** A node to call: the name shown in output and the address to dial. */
export interface Target {
  node: string;
  address: string;
  /** Set when the name could not be resolved; the call reports it as that node's error. */
  error?: KeelsonError;
}

/**
 * Turns --nodes and --selector into targets. Names resolve through the
 * context's endpoints; an IP (with or without :port) is used as given. An
 * unknown name becomes an error row for that node, never an abort.
 */
export function resolveTargets(
  context: ClientContext,
  nodes: readonly string[],
  selector?: string,
): Target[] {
  let names = nodes.length
    ? [...nodes]
    : context.nodes.length
      ? context.nodes
      : context.endpoints.map((e) => e.name);
  if (selector) names = names.filter((n) => matchesSelector(context, n, selector));
  return [...new Set(names)].map((name) => resolveOne(context, name));
}

function resolveOne(context: ClientContext, name: string): Target {
  const endpoint = context.endpoints.find((e) => e.name === name);
  if (endpoint) return { node: name, address: withPort(endpoint.address) };
  if (looksLikeAddress(name)) return { node: name, address: withPort(name) };
  const known = context.endpoints.map((e) => e.name).join(", ") || "none";
  return {
    node: name,
    address: "",
    error: new KeelsonError(
      "notFound",
      `unknown node "${name}"`,
      `known nodes: ${known}; or give an IP address`,
    ),
  };
}

function matchesSelector(context: ClientContext, name: string, selector: string): boolean {
  const endpoint = context.endpoints.find((e) => e.name === name);
  return selector.split(",").every((term) => {
    const [key, value] = term.split("=").map((s) => s.trim());
    if (key !== "role") {
      throw new KeelsonError(
        "invalidArgument",
        `unsupported selector "${term}"`,
        "use role=controlplane or role=worker",
      );
    }
    return endpoint?.role === value;
  });
}

function looksLikeAddress(value: string): boolean {
  if (isIP(value)) return true;
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  if (bracketed) return isIP(bracketed[1] ?? "") === 6;
  const [host, port, extra] = value.split(":");
  return extra === undefined && isIP(host ?? "") === 4 && /^\d+$/.test(port ?? "");
}

/** "127.0.1.1" → "127.0.1.1:50000"; "::1" → "[::1]:50000". */
export function withPort(address: string): string {
  if (isIP(address) === 6) return `[${address}]:${defaultApiPort}`;
  if (isIP(address) === 4) return `${address}:${defaultApiPort}`;
  return address.includes(":") ? address : `${address}:${defaultApiPort}`;
}
