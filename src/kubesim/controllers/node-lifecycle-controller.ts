import { childObject, field, type JsonObject, type KubeObject, sameJson } from "../api";
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
function wantedTaints(current: Taint[], ready: string | undefined, now: number): Taint[] {
  const others = current.filter((t) => t.key !== unreachable && t.key !== notReady);
  const key = ready === "True" ? undefined : ready === "False" ? notReady : unreachable;
  if (!key) return others;
  const existing = current.filter((t) => t.key === key);
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
function evictExpired(
  registry: Registry,
  nodeName: string,
  taints: Taint[],
  now: number,
  scale: number,
): void {
  const noExecute = taints.filter((t) => t.effect === "NoExecute");
  if (noExecute.length === 0) return;
  for (const pod of podsOnNode(registry, nodeName)) {
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

/** Writes only what changed: a pass over a thousand healthy nodes should write nothing. */
function checkNode(registry: Registry, timing: Timing, node: KubeObject, now: number): void {
  const name = node.metadata.name ?? "";
  const silent = now - lastHeartbeat(registry, node) > timing.nodeMonitorGraceMs;
  const markUnknownNow = silent && conditionStatus(node, "Ready") !== "Unknown";
  const ready = markUnknownNow ? "Unknown" : conditionStatus(node, "Ready");
  const taints = wantedTaints(taintsOf(node), ready, now);
  if (markUnknownNow)
    registry.mutate(nodes, "", name, (n) => markUnknown(n, now), { subresource: "status" });
  if (!sameJson(taints, taintsOf(node))) {
    registry.mutate(nodes, "", name, (n) => {
      const spec = n.spec as JsonObject;
      if (taints.length === 0) delete spec.taints;
      else spec.taints = taints;
    });
  }
  if (ready !== "True") markPodsNotReady(registry, name);
  evictExpired(registry, name, taints, now, timing.scale);
}

function check(registry: Registry, timing: Timing): void {
  const now = Date.now();
  for (const { obj: node } of registry.list(nodes).entries) checkNode(registry, timing, node, now);
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
