import { parseEachLine, parseUnsigned } from "./fields";
import { hexWord, ipv4FromHexLe, prefixFromHexMask } from "./hex-address";
import { type Route, scopeOf } from "./route";

/**
 * /proc/net/route, which holds only the main IPv4 table. It does not say which
 * protocol installed a route, so protocol is left empty. The header line and
 * any line that does not parse are skipped.
 */
export function parseNetRoute(text: string): Route[] {
  return parseEachLine(text, parseLine);
}

function parseLine(parts: string[]): Route | undefined {
  const [link, destination, gateway, flags, , , metric, mask] = parts;
  if (!link || !destination || !gateway || !mask || link === "Iface") return undefined;
  const flagBits = hexWord(flags, "/proc/net/route flags");
  const via = ipv4FromHexLe(gateway);
  return {
    family: "inet",
    destination: `${ipv4FromHexLe(destination)}/${prefixFromHexMask(mask)}`,
    gateway: via === "0.0.0.0" ? "" : via,
    link,
    metric: parseUnsigned(metric, "/proc/net/route metric"),
    table: "main",
    scope: scopeOf(flagBits),
    protocol: "",
  };
}
