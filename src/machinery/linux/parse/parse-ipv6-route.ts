import { parseEachLine } from "./fields";
import { hexByte, hexWord, ipv6FromHex } from "./hex-address";
import { type Route, RTF_LOCAL, RTF_REJECT, scopeOf } from "./route";

/**
 * /proc/net/ipv6_route. Unlike the IPv4 file it walks every table, but does
 * not say which, so the table is inferred: local addresses (RTF_LOCAL) and the
 * ff00::/8 multicast route live in "local", the rest in "main". The kernel's
 * catch-all null entry (reject ::/0, metric 0xffffffff) is not a real route
 * and is dropped. Policy-routing tables other than local cannot be told apart.
 */
export function parseIpv6Route(text: string): Route[] {
  return parseEachLine(text, parseLine);
}

function parseLine(parts: string[]): Route | undefined {
  const [destination, prefix, , , nextHop, metricHex, , , flagsHex, link] = parts;
  if (!destination || !nextHop || !link) return undefined;
  const flags = hexWord(flagsHex, "ipv6_route flags");
  const metric = hexWord(metricHex, "ipv6_route metric");
  const prefixLength = hexByte(prefix, "ipv6_route prefix");
  const address = ipv6FromHex(destination);
  if (flags & RTF_REJECT && metric === 0xffffffff && prefixLength === 0) return undefined;
  const via = ipv6FromHex(nextHop);
  return {
    family: "inet6",
    destination: `${address}/${prefixLength}`,
    gateway: via === "::" ? "" : via,
    link,
    // The kernel prints u32 metrics; proto's int32 would show 0xffffffff as -1.
    metric: metric | 0,
    table: isLocal(flags, address, prefixLength) ? "local" : "main",
    scope: scopeOf(flags),
    protocol: "",
  };
}

function isLocal(flags: number, address: string, prefixLength: number): boolean {
  return (flags & RTF_LOCAL) !== 0 || (address === "ff00::" && prefixLength === 8);
}
