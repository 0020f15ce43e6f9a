import type { NodeSettings } from "../config/node-settings";
import type { NodeIdentity } from "../state";

/** Where a kubelet serves /healthz, on the node's own address. */
export const kubeletHealthzPort = 10248;

/** The node's own kubelet flags, spelled as the real kubelet takes them. */
export function kubeletFlags(identity: NodeIdentity, kubelet: NodeSettings["kubelet"]): string[] {
  const labels = Object.entries(kubelet.labels).map(([key, value]) => `${key}=${value}`);
  const taints = kubelet.taints.map(
    (t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ""}:${t.effect}`,
  );
  return [
    `--hostname-override=${identity.name}`,
    `--node-ip=${identity.address}`,
    `--node-labels=${labels.join(",")}`,
    `--register-with-taints=${taints.join(",")}`,
    `--healthz-bind-address=${identity.address}`,
    `--healthz-port=${kubeletHealthzPort}`,
  ];
}
