/** ARPHRD_* values from linux/if_arp.h that a Kubernetes node is likely to have. */
const hardwareTypes = new Map([
  [1, "ether"],
  [24, "ieee1394"],
  [32, "infiniband"],
  [512, "ppp"],
  [768, "ipip"],
  [769, "ip6tnl"],
  [772, "loopback"],
  [776, "sit"],
  [778, "gre"],
  [801, "ieee80211"],
  [823, "ip6gre"],
  [65534, "none"],
]);

/**
 * sysfs has no equivalent of netlink's IFLA_INFO_KIND ("veth", "ifb"); the
 * closest is DEVTYPE in uevent (bridge, vlan, wlan, bond...), which virtual
 * drivers often leave unset. Then the hardware type is the kind: "ether",
 * "loopback", or "arphrd-<n>" for ones not in the table.
 */
export function linkKind(uevent: string | undefined, type: number | undefined): string {
  const devtype = /^DEVTYPE=(.+)$/m.exec(uevent ?? "")?.[1]?.trim();
  if (devtype) return devtype;
  if (type === undefined) return "";
  return hardwareTypes.get(type) ?? `arphrd-${type}`;
}
