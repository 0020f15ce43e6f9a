import { field, type KubeObject, sameJson } from "../api";
import type { Timing } from "../cluster/timing";
import { type PdbStatus, setDisruptionAllowedCondition, statusOf } from "../eviction";
import type { Registry } from "../registry";
import { deployments, replicaSets, statefulSets } from "../resources/apps/workloads";
import { podDisruptionBudgets } from "../resources/other/pdb";
import { type Controller, isResource, keyOf, runController } from "./controller";
import { type BudgetPods, PdbPodIndex } from "./pdb-pod-index";
import { splitKey, type WorkQueue } from "./work-queue";

/** intstr.GetScaledValueFromIntOrPercent with rounding up, as the disruption controller uses it. */
function scaled(value: unknown, total: number): number {
  if (typeof value === "string" && value.endsWith("%"))
    return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  return Number(value) || 0;
}

/** getExpectedScale: the replicas of every controller owning a selected pod, or undefined if one has none. */
function expectedScale(registry: Registry, budget: BudgetPods, ns: string): number | undefined {
  if (budget.ownerless > 0) return undefined;
  let total = 0;
  for (const { ref } of budget.owners.values()) {
    let owner =
      ref.kind === "ReplicaSet"
        ? registry.tryGet(replicaSets, ns, ref.name)
        : ref.kind === "StatefulSet"
          ? registry.tryGet(statefulSets, ns, ref.name)
          : undefined;
    const deployRef = owner?.metadata.ownerReferences?.find(
      (r) => r.controller && r.kind === "Deployment",
    );
    if (owner && deployRef) owner = registry.tryGet(deployments, ns, deployRef.name) ?? owner;
    if (!owner) return undefined;
    total += (field(owner, "spec", "replicas") as number | undefined) ?? 0;
  }
  return total;
}

/** disruption.go buildDisruptedPodMap: keep entries of live pods not yet expired. */
function liveDisruptions(status: PdbStatus, budget: BudgetPods, now: number, timeoutMs: number) {
  const kept: Record<string, string> = {};
  let recheck: number | undefined;
  for (const [name, since] of Object.entries(status.disruptedPods ?? {})) {
    const pod = budget.pods.get(name);
    if (!since || !pod || pod.deleting) continue;
    const expires = Date.parse(since) + timeoutMs;
    if (expires <= now) continue;
    kept[name] = since;
    recheck = Math.min(recheck ?? expires, expires);
  }
  return { kept, recheck };
}

/** Selected pods that count as healthy: ready, not terminating, not disrupted. */
function healthyPods(budget: BudgetPods, kept: Record<string, string>): number {
  let disrupted = 0;
  for (const name of Object.keys(kept)) if (budget.pods.get(name)?.ready) disrupted++;
  return budget.ready - disrupted;
}

function computeStatus(
  registry: Registry,
  pdb: KubeObject,
  budget: BudgetPods,
  timing: Timing,
  queue: WorkQueue,
): PdbStatus {
  const ns = pdb.metadata.namespace ?? "";
  const previous = statusOf(pdb);
  const { kept, recheck } = liveDisruptions(
    previous,
    budget,
    Date.now(),
    timing.disruptedPodTimeoutMs,
  );
  if (recheck !== undefined) queue.addAfter(keyOf(pdb), recheck - Date.now() + 1);
  const healthy = healthyPods(budget, kept);
  const spec = (pdb.spec ?? {}) as { minAvailable?: unknown; maxUnavailable?: unknown };
  let expected: number | undefined = budget.pods.size;
  let desired = 0;
  if (spec.maxUnavailable !== undefined) {
    expected = expectedScale(registry, budget, ns);
    desired =
      expected === undefined ? 0 : Math.max(0, expected - scaled(spec.maxUnavailable, expected));
  } else if (typeof spec.minAvailable === "string") {
    expected = expectedScale(registry, budget, ns);
    desired = expected === undefined ? 0 : scaled(spec.minAvailable, expected);
  } else desired = Number(spec.minAvailable ?? 0);
  // Pods without a scalable controller: the controller fails safe and allows nothing.
  const allowed = expected === undefined || expected <= 0 ? 0 : Math.max(0, healthy - desired);
  const status: PdbStatus = {
    ...previous,
    observedGeneration: pdb.metadata.generation ?? 1,
    disruptedPods: kept,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected ?? budget.pods.size,
    disruptionsAllowed: allowed,
  };
  setDisruptionAllowedCondition(status, pdb.metadata.generation ?? 1);
  return status;
}

function reconcile(
  registry: Registry,
  index: PdbPodIndex,
  timing: Timing,
  queue: () => WorkQueue,
  key: string,
): void {
  const [namespace, name] = splitKey(key);
  const pdb = registry.tryGet(podDisruptionBudgets, namespace, name);
  const budget = index.of(namespace, name);
  if (!pdb || !budget || pdb.metadata.deletionTimestamp) return;
  const status = computeStatus(registry, pdb, budget, timing, queue());
  if (sameJson(status, pdb.status ?? {})) return;
  registry.mutate(
    podDisruptionBudgets,
    namespace,
    name,
    (next) => {
      next.status = status;
    },
    { subresource: "status" },
  );
}

/** Recomputes PodDisruptionBudget status whenever a budget or one of its pods changes. */
export function startPdbController(registry: Registry, timing: Timing): Controller {
  let queue: WorkQueue | undefined;
  const index = new PdbPodIndex(registry);
  const controller = runController(
    registry,
    (key) => reconcile(registry, index, timing, () => queue as WorkQueue, key),
    (event, enqueue) => {
      const namespace = event.entry.obj.metadata.namespace ?? "";
      for (const name of index.apply(event)) enqueue(`${namespace}/${name}`);
      if (isResource(event, podDisruptionBudgets) && event.type !== "DELETED")
        enqueue(keyOf(event.entry.obj));
    },
  );
  queue = controller.queue;
  return controller;
}
