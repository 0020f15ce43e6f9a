import { parseIpv6Route } from "../../../machinery/linux/parse/parse-ipv6-route";
import { parseNetRoute } from "../../../machinery/linux/parse/parse-net-route";
import type { Route } from "../../../machinery/linux/parse/route";
import { readAttribute, readText } from "./read-proc";

/** Main-table routes of both families, the ones `ip route` shows by default. */
export async function readRoutes(): Promise<Route[]> {
  const [ipv4, ipv6] = await Promise.all([
    readText("/proc/net/route"),
    // Absent when IPv6 is disabled on the kernel command line.
    readAttribute("/proc/net/ipv6_route"),
  ]);
  const routes = [...parseNetRoute(ipv4), ...parseIpv6Route(ipv6 ?? "")];
  return routes.filter((route) => route.table === "main");
}
