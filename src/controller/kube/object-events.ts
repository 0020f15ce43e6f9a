import { randomBytes } from "node:crypto";
import type { V1ObjectReference } from "@kubernetes/client-node";
import type { KubeApis } from "./kube-apis";

export type EventType = "Normal" | "Warning";

/**
 * A Kubernetes Event about a cluster-scoped object (a Node, an UpgradePlan),
 * as `kubectl describe` and `kubectl get events` show them, from the upgrade
 * controller. Best effort: an Event that cannot be written never stops an
 * upgrade.
 */
export async function objectEvent(
  apis: KubeApis,
  involvedObject: V1ObjectReference,
  type: EventType,
  reason: string,
  message: string,
): Promise<void> {
  const now = new Date();
  await apis.core
    .createNamespacedEvent({
      namespace: "default",
      body: {
        metadata: {
          name: `${involvedObject.name}.${randomBytes(8).toString("hex")}`,
          namespace: "default",
        },
        involvedObject,
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

/** An Event on a Node: each phase it enters (Normal) and each failure (Warning). */
export function nodeEvent(
  apis: KubeApis,
  node: string,
  type: EventType,
  reason: string,
  message: string,
): Promise<void> {
  return objectEvent(
    apis,
    { apiVersion: "v1", kind: "Node", name: node, uid: node },
    type,
    reason,
    message,
  );
}
