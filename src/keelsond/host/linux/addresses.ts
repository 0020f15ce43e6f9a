import type { Address } from "../../../machinery/linux/parse/address";
import { parseIfInet6 } from "../../../machinery/linux/parse/parse-if-inet6";
import { parseIpAddrJson } from "../../../machinery/linux/parse/parse-ip-addr-json";
import { ipJson } from "./ip-command";
import { readAttribute } from "./read-proc";

/**
 * IPv6 comes from /proc/net/if_inet6; IPv4 has no /proc listing with link
 * and prefix, so it comes from `ip -j -4 addr`. Without `ip` the whole call
 * fails (unavailable) rather than quietly returning only IPv6.
 */
export async function readAddresses(): Promise<Omit<Address, "linkIndex">[]> {
  const [ipv4, ipv6] = await Promise.all([
    ipJson(["-4", "addr", "show"]).then(parseIpAddrJson),
    // Absent when IPv6 is disabled on the kernel command line.
    readAttribute("/proc/net/if_inet6").then((text) => parseIfInet6(text ?? "")),
  ]);
  return [...ipv4, ...ipv6].sort(byLinkThenFamily).map(({ linkIndex, ...address }) => address);
}

function byLinkThenFamily(a: Address, b: Address): number {
  return a.linkIndex - b.linkIndex || a.family.localeCompare(b.family);
}
