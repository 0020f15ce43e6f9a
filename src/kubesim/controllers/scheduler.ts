import { childObject, field, type JsonObject, type KubeObject } from "../api";
import { bindPod, type Registry } from "../registry";
import { nodes } from "../resources/core/node";
import { pods } from "../resources/core/pod";
import { conditionStatus, nodeNameOf } from "../resources/pod-helpers";
import type { StoreEvent } from "../store";
import { type Controller, isResource } from "./controller";
import { type Candidate, FeasibleNodes } from "./feasible-nodes";
import { NodeUsage } from "./node-usage";
import { podsOnNode } from "./pod-index";
import { add, fits, podRequests } from "./resource-usage";

function markUnschedulable(registry: Registry, pod: KubeObject, total: number): void {
  if (conditionStatus(pod, "PodScheduled") === "False") return;
  const condition = {
    type: "PodScheduled",
    status: "False",
    reason: "Unschedulable",
    message: `0/${total} nodes are available: no node is Ready, untainted, selected by the pod and has room.`,
    lastProbeTime: null,
    lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  registry.mutate(
    pods,
    pod.metadata.namespace ?? "",
    pod.metadata.name ?? "",
    (next) => {
      const status = childObject(next as JsonObject, "status") as {
        conditions?: { type: string }[];
      };
      status.conditions = [
        ...(status.conditions ?? []).filter((c) => c.type !== "PodScheduled"),
        condition,
      ];
    },
    { subresource: "status" },
  );
}

/** One scheduling pass: every pending pod goes to the fitting node with the fewest pods. */
export function schedulePending(
  registry: Registry,
  usage: NodeUsage,
  feasible = new FeasibleNodes(registry, usage),
): number {
  const pending = podsOnNode(registry, "")
    .filter(
      (p) =>
        !p.metadata.deletionTimestamp &&
        (field(p, "spec", "schedulerName") ?? "default-scheduler") === "default-scheduler",
    )
    .sort((a, b) =>
      (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? ""),
    );
  if (pending.length === 0) return 0;
  const nodeList = feasible.refresh();
  let bound = 0;
  for (const pod of pending) {
    const request = podRequests(pod);
    let best: Candidate | undefined;
    for (const c of feasible.for(pod)) {
      if (!fits(c.used, request, c.capacity)) continue;
      if (!best || c.used.pods < best.used.pods) best = c;
    }
    if (!best) {
      markUnschedulable(registry, pod, nodeList.length);
      continue;
    }
    bindPod(
      registry,
      pod.metadata.namespace ?? "",
      pod.metadata.name ?? "",
      best.node.metadata.name ?? "",
    );
    best.used = add(best.used, request);
    bound++;
  }
  return bound;
}

/** Node changes that can make a pending pod schedulable; heartbeats alone cannot. */
function nodeChangeMatters(event: StoreEvent): boolean {
  if (event.type !== "MODIFIED") return true;
  const view = (n: KubeObject | undefined) =>
    n
      ? JSON.stringify([
          n.metadata.labels,
          n.spec,
          conditionStatus(n, "Ready"),
          field(n, "status", "allocatable"),
        ])
      : "";
  return view(event.entry.obj) !== view(event.previous?.obj);
}

/** The default scheduler: binds pending pods whenever pods or nodes change. */
export function startScheduler(registry: Registry): Controller {
  const usage = new NodeUsage(registry);
  const feasible = new FeasibleNodes(registry, usage);
  let scheduled = false;
  let stopped = false;
  const pass = () => {
    scheduled = false;
    if (stopped) return;
    try {
      schedulePending(registry, usage, feasible);
    } catch {
      // A pod deleted or bound under us mid-pass: a later pass sees the new state.
      setTimeout(trigger, 20).unref();
    }
  };
  const trigger = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    setImmediate(pass);
  };
  const unsubscribe = registry.store.subscribe((event) => {
    if (isResource(event, pods)) {
      const unscheduled = event.type === "ADDED" && nodeNameOf(event.entry.obj) === "";
      const freed = event.type === "DELETED" && nodeNameOf(event.entry.obj) !== "";
      if (unscheduled || freed) trigger();
    } else if (isResource(event, nodes) && nodeChangeMatters(event)) {
      feasible.invalidate();
      trigger();
    }
  });
  trigger();
  return {
    stop() {
      stopped = true;
      unsubscribe();
      usage.close();
    },
  };
}
