import { randomBytes } from "node:crypto";
import type { KubeApis } from "./kube-apis";

/**
 * Kubernetes Events on a Node, as `kubectl describe node` and `kubectl get
 * events` show them: each phase a node enters (Normal) and each failure
 * (Warning), from the upgrade controller. Best effort: an Event that cannot
 * be written never stops an upgrade.
 */
export async function nodeEvent(
  apis: KubeApis,
  node: string,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
): Promise<void> {
  const now = new Date();
  await apis.core
    .createNamespacedEvent({
      namespace: "default",
      body: {
        metadata: { name: `${node}.${randomBytes(8).toString("hex")}`, namespace: "default" },
        involvedObject: { apiVersion: "v1", kind: "Node", name: node, uid: node },
        type,
        reason,
        message,
        source: { component: "keelson-upgrade-controller" },
        reportingComponent: "keelson-upgrade-controller",
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    })
    .catch(() => undefined);
}
