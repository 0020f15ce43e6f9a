import { childObject, field, type JsonObject, type KubeObject } from "../api";
import type { Timing } from "../cluster/timing";
import type { Registry } from "../registry";
import { nodes } from "../resources/core/node";
import { pods } from "../resources/core/pod";
import { leases } from "../resources/other/lease";
import { conditionStatus, type Taint, taintsOf, tolerationsOf } from "../resources/pod-helpers";
import type { Controller } from "./controller";
import { podsOnNode } from "./pod-index";

const unreachable = "node.kubernetes.io/unreachable";
const notReady = "node.kubernetes.io/not-ready";
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The newest sign of life: the node Lease's renewTime or the Ready condition's heartbeat. */
function lastHeartbeat(registry: Registry, node: KubeObject): number {
  const lease = registry.tryGet(leases, "kube-node-lease", node.metadata.name ?? "");
  const renew = Date.parse((field(lease, "spec", "renewTime") as string | undefined) ?? "") || 0;
  const conditions = (field(node, "status", "conditions") ?? []) as {
    type: string;
    lastHeartbeatTime?: string;
  }[];
  const ready =
    Date.parse(conditions.find((c) => c.type === "Ready")?.lastHeartbeatTime ?? "") || 0;
  return Math.max(renew, ready, Date.parse(node.metadata.creationTimestamp ?? "") || 0);
}

/** The taints a node should carry for its Ready condition (TaintNodesByCondition + taint-based eviction). */
function wantedTaints(node: KubeObject, now: number): Taint[] {
  const ready = conditionStatus(node, "Ready");
  const others = taintsOf(node).filter((t) => t.key !== unreachable && t.key !== notReady);
  const key = ready === "True" ? undefined : ready === "False" ? notReady : unreachable;
  if (!key) return others;
  const existing = taintsOf(node).filter((t) => t.key === key);
  const at = existing[0]?.timeAdded ?? stamp(now);
  return [
    ...others,
    { key, effect: "NoSchedule", timeAdded: at },
    { key, effect: "NoExecute", timeAdded: at },
  ];
}

function markUnknown(node: KubeObject, now: number): void {
  const status = childObject(node as JsonObject, "status") as JsonObject;
  const conditions = (status.conditions ?? []) as JsonObject[];
  status.conditions = conditions.map((c) =>
    c.status === "Unknown"
      ? c
      : {
          ...c,
          status: "Unknown",
          reason: "NodeStatusUnknown",
          message: "Kubelet stopped posting node status.",
          lastTransitionTime: stamp(now),
        },
  );
}

/** MarkPodsNotReady: pods on a node that stopped reporting lose their Ready condition. */
function markPodsNotReady(registry: Registry, nodeName: string): void {
  for (const pod of podsOnNode(registry, nodeName)) {
    if (conditionStatus(pod, "Ready") !== "True") continue;
    registry.mutate(
      pods,
      pod.metadata.namespace ?? "",
      pod.metadata.name ?? "",
      (next) => {
        const status = next.status as { conditions?: JsonObject[] };
        status.conditions = (status.conditions ?? []).map((c) =>
          c.type === "Ready" || c.type === "ContainersReady" ? { ...c, status: "False" } : c,
        );
      },
      { subresource: "status" },
    );
  }
}

/** The taint manager: pods whose toleration of a NoExecute taint ran out are deleted. */
function evictExpired(registry: Registry, node: KubeObject, now: number, scale: number): void {
  const noExecute = taintsOf(node).filter((t) => t.effect === "NoExecute");
  if (noExecute.length === 0) return;
  for (const pod of podsOnNode(registry, node.metadata.name ?? "")) {
    if (pod.metadata.deletionTimestamp) continue;
    for (const taint of noExecute) {
      const toleration = tolerationsOf(pod).find(
        (t) => (t.operator === "Exists" && (!t.key || t.key === taint.key)) || t.key === taint.key,
      );
      const seconds = toleration ? toleration.tolerationSeconds : 0;
      if (seconds === undefined) continue;
      const since = Date.parse(taint.timeAdded ?? "") || now;
      if (now - since >= seconds * 1000 * scale) {
        registry.delete(pods, pod.metadata.namespace ?? "", pod.metadata.name ?? "");
        break;
      }
    }
  }
}

function check(registry: Registry, timing: Timing): void {
  const now = Date.now();
  for (const { obj: node } of registry.list(nodes).entries) {
    const name = node.metadata.name ?? "";
    const silent = now - lastHeartbeat(registry, node) > timing.nodeMonitorGraceMs;
    const next = structuredClone(node);
    if (silent && conditionStatus(node, "Ready") !== "Unknown") markUnknown(next, now);
    (next.spec as JsonObject).taints = wantedTaints(next, now);
    if (JSON.stringify(next) !== JSON.stringify(node)) {
      if (
        (next.spec as JsonObject).taints &&
        (next.spec as { taints: unknown[] }).taints.length === 0
      )
        delete (next.spec as JsonObject).taints;
      if (JSON.stringify(next.status) !== JSON.stringify(node.status))
        registry.update(nodes, "", name, next, { subresource: "status" });
      registry.mutate(nodes, "", name, (n) => {
        n.spec = next.spec;
      });
    }
    if (conditionStatus(next, "Ready") !== "True") markPodsNotReady(registry, name);
    evictExpired(registry, registry.get(nodes, "", name), now, timing.scale);
  }
}

/**
 * The node lifecycle controller of kube-controller-manager: a node whose
 * kubelet stops heartbeating turns Ready=Unknown and gets the unreachable
 * taints; the taints go once it reports Ready again.
 */
export function startNodeLifecycleController(registry: Registry, timing: Timing): Controller {
  const timer = setInterval(() => {
    try {
      check(registry, timing);
    } catch {
      // A node changed under us; the next period looks again.
    }
  }, timing.nodeMonitorPeriodMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
