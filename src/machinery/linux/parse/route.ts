/** A route as Keelson reports it; the shape of NetworkRoute in machine.proto. */
export interface Route {
  family: "inet" | "inet6";
  destination: string;
  gateway: string;
  link: string;
  metric: number;
  table: string;
  scope: string;
  protocol: string;
}

/** Route flags from linux/route.h and linux/ipv6_route.h. */
export const RTF_GATEWAY = 0x2;
export const RTF_REJECT = 0x200;
export const RTF_LOCAL = 0x80000000;

/**
 * /proc does not print a route's scope; like `ip route`, a route through a
 * gateway is "global" and a directly attached one "link".
 */
export function scopeOf(flags: number): string {
  return flags & RTF_GATEWAY ? "global" : "link";
}
