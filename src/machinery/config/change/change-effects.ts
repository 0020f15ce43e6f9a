/** Whether a changed field takes effect on the running node or only after a reboot. */
export type ChangeEffect = "live" | "reboot";

/**
 * The one table of what a change needs, by path pattern (list items as `[]`).
 * The longest matching entry wins; a path matching none needs a reboot,
 * because treating an unknown change as live is the mistake that hurts.
 */
export const changeEffects: Readonly<Record<string, ChangeEffect>> = {
  "machine.hostname": "live",
  "machine.network": "live",
  "machine.time": "live",
  "machine.logging": "live",
  "machine.api": "live",
  "machine.sysctls": "live",
  // The kubelet restarts with its new settings; the node does not.
  "machine.kubelet": "live",
  // Read only when installing or upgrading, so it changes nothing now.
  "machine.install": "live",
  "machine.upgrade": "live",
  // Role, identity and trust are read at boot by every service.
  "machine.type": "reboot",
  "machine.token": "reboot",
  "machine.ca": "reboot",
  "etcd.image": "live",
  "etcd.extraArgs": "live",
  "etcd.advertisedSubnets": "live",
  "etcd.ca": "reboot",
  "cluster.kubernetesVersion": "live",
  cluster: "reboot",
};

export function effectOf(pattern: string): ChangeEffect {
  let best: { length: number; effect: ChangeEffect } = { length: -1, effect: "reboot" };
  for (const [entry, effect] of Object.entries(changeEffects)) {
    const matches =
      pattern === entry || pattern.startsWith(`${entry}.`) || pattern.startsWith(`${entry}[`);
    if (matches && entry.length > best.length) best = { length: entry.length, effect };
  }
  return best.effect;
}
