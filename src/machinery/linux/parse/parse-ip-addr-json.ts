import type { Address } from "./address";
import { malformed } from "./malformed";

/**
 * The IPv4 addresses in `ip -j addr` output. The JSON comes from another
 * program, so every field is checked rather than trusted; entries with
 * unexpected shapes are skipped, but output that is not a JSON array fails.
 */
export function parseIpAddrJson(text: string): Address[] {
  let links: unknown;
  try {
    links = JSON.parse(text);
  } catch (error) {
    throw malformed("ip -j addr output", (error as Error).message);
  }
  if (!Array.isArray(links)) throw malformed("ip -j addr output", "expected a JSON array");
  return links.flatMap(linkAddresses);
}

function linkAddresses(link: unknown): Address[] {
  if (!isRecord(link) || typeof link.ifname !== "string" || !Array.isArray(link.addr_info)) {
    return [];
  }
  const name = link.ifname;
  const index = typeof link.ifindex === "number" ? link.ifindex : 0;
  return link.addr_info.flatMap((info: unknown): Address[] => {
    if (!isRecord(info) || info.family !== "inet") return [];
    if (typeof info.local !== "string" || typeof info.prefixlen !== "number") return [];
    const scope = typeof info.scope === "string" ? info.scope : "";
    const address = `${info.local}/${info.prefixlen}`;
    return [{ link: name, linkIndex: index, family: "inet", address, scope }];
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
