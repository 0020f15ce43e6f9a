import type { Address } from "./address";
import { parseEachLine } from "./fields";
import { hexByte, hexWord, ipv6FromHex } from "./hex-address";

/** IPV6_ADDR_* scope bits as printed by the kernel, named as `ip` names them. */
const scopes = new Map([
  [0x00, "global"],
  [0x10, "host"],
  [0x20, "link"],
  [0x40, "site"],
]);

/**
 * /proc/net/if_inet6: "address ifindex prefix scope flags name", all hex but
 * the name. Garbled lines are skipped.
 */
export function parseIfInet6(text: string): Address[] {
  return parseEachLine(text, parseLine);
}

function parseLine(parts: string[]): Address | undefined {
  const [hex, index, prefix, scope, , link] = parts;
  if (!hex || !link) return undefined;
  const scopeBits = hexByte(scope, "if_inet6 scope");
  return {
    link,
    linkIndex: hexWord(index, "if_inet6 index"),
    family: "inet6",
    address: `${ipv6FromHex(hex)}/${hexByte(prefix, "if_inet6 prefix")}`,
    scope: scopes.get(scopeBits) ?? `0x${scopeBits.toString(16)}`,
  };
}
