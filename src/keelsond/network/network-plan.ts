import { isIPv4 } from "node:net";
import { KeelsonError } from "../../machinery/errors";

/** The machine configuration's `machine.network`, as the agent acts on it. */
export interface NetworkSettings {
  interfaces?: {
    name: string;
    addresses?: string[];
    routes?: { network: string; gateway?: string; metric?: number }[];
    mtu?: number;
    dhcp?: boolean;
  }[];
  nameservers?: string[];
}

/** A network link of the node, as /sys/class/net and its addresses show it. */
export interface LinkState {
  name: string;
  /** It has an IPv4 address already (the platform's, or an earlier lease). */
  addressed: boolean;
}

/** What one link gets: `keelson-init network` settings, or a DHCP client. */
export type LinkPlan =
  | { link: string; dhcp: false; settings: string[] }
  | { link: string; dhcp: true };

export interface NetworkPlan {
  links: LinkPlan[];
  /** The configuration's; when empty, the DHCP leases' name servers are used. */
  nameservers: string[];
}

/**
 * What the node's links get. With no interface configured, every link
 * without an address takes DHCP, as a cloud image does; once interfaces are
 * configured, exactly those are set (static addresses and routes, or DHCP).
 * IPv4 only for now. Errors name the field and the link.
 */
export function networkPlan(
  settings: NetworkSettings | undefined,
  links: readonly LinkState[],
): NetworkPlan {
  const nameservers = settings?.nameservers ?? [];
  const configured = settings?.interfaces ?? [];
  if (configured.length === 0)
    return {
      links: links.filter((l) => !l.addressed).map((l) => ({ link: l.name, dhcp: true })),
      nameservers,
    };
  const names = links.map((l) => l.name);
  return {
    links: configured.map((i, index) => {
      const at = `machine.network.interfaces[${index}]`;
      if (!names.includes(i.name))
        throw new KeelsonError(
          "invalidArgument",
          `${at}.name: this node has no network link ${i.name} (it has ${names.join(", ") || "none"})`,
          "name one of its links (keelctl list /sys/class/net)",
        );
      if (i.dhcp && (i.addresses?.length || i.routes?.length))
        throw new KeelsonError(
          "invalidArgument",
          `${at}: ${i.name} takes DHCP and static addresses or routes at once`,
          "give it either dhcp: true or its addresses and routes",
        );
      if (i.dhcp) return { link: i.name, dhcp: true };
      return { link: i.name, dhcp: false, settings: linkSettings(i, at) };
    }),
    nameservers,
  };
}

type Interface = NonNullable<NetworkSettings["interfaces"]>[number];

function linkSettings(i: Interface, at: string): string[] {
  const ipv4 = (value: string, field: string) => {
    if (!isIPv4(value.split("/")[0] ?? ""))
      throw new KeelsonError(
        "invalidArgument",
        `${at}.${field}: ${value} is not IPv4; the metal image configures IPv4 links only for now`,
      );
    return value;
  };
  return [
    ...(i.mtu ? [`mtu=${i.mtu}`] : []),
    ...(i.addresses ?? []).map((a, n) => `address=${ipv4(a, `addresses[${n}]`)}`),
    ...(i.routes ?? []).map((r, n) => {
      const field = `routes[${n}]`;
      const via = r.gateway ? ipv4(r.gateway, `${field}.gateway`) : "";
      return `route=${ipv4(r.network, `${field}.network`)},${via},${r.metric ?? 0}`;
    }),
  ];
}
