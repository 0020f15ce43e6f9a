import { field, type KubeObject, matchesLabels } from "../api";
import type { Timing } from "../cluster/timing";
import { type PdbStatus, pdbSelector, setDisruptionAllowedCondition, statusOf } from "../eviction";
import type { Registry } from "../registry";
import { deployments, replicaSets, statefulSets } from "../resources/apps/workloads";
import { pods } from "../resources/core/pod";
import { podDisruptionBudgets } from "../resources/other/pdb";
import { isPodReady } from "../resources/pod-helpers";
import { type Controller, isResource, keyOf, runController } from "./controller";
import { splitKey, type WorkQueue } from "./work-queue";

/** intstr.GetScaledValueFromIntOrPercent with rounding up, as the disruption controller uses it. */
function scaled(value: unknown, total: number): number {
  if (typeof value === "string" && value.endsWith("%"))
    return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  return Number(value) || 0;
}

/** getExpectedScale: the replicas of every controller owning a selected pod, or undefined if one has none. */
function expectedScale(registry: Registry, selected: KubeObject[]): number | undefined {
  const seen = new Map<string, number>();
  for (const pod of selected) {
    const ref = pod.metadata.ownerReferences?.find((r) => r.controller);
    if (!ref) return undefined;
    if (seen.has(ref.uid)) continue;
    const ns = pod.metadata.namespace ?? "";
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
    seen.set(ref.uid, (field(owner, "spec", "replicas") as number | undefined) ?? 0);
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

/** disruption.go buildDisruptedPodMap: keep entries of live pods not yet expired. */
function liveDisruptions(
  status: PdbStatus,
  selected: KubeObject[],
  now: number,
  timeoutMs: number,
) {
  const kept: Record<string, string> = {};
  let recheck: number | undefined;
  for (const pod of selected) {
    const name = pod.metadata.name ?? "";
    const since = status.disruptedPods?.[name];
    if (!since || pod.metadata.deletionTimestamp) continue;
    const expires = Date.parse(since) + timeoutMs;
    if (expires <= now) continue;
    kept[name] = since;
    recheck = Math.min(recheck ?? expires, expires);
  }
  return { kept, recheck };
}

function computeStatus(
  registry: Registry,
  pdb: KubeObject,
  timing: Timing,
  queue: WorkQueue,
): PdbStatus {
  const selector = pdbSelector(pdb);
  const selected = selector
    ? registry
        .list(pods, pdb.metadata.namespace)
        .entries.map((e) => e.obj)
        .filter((p) => matchesLabels(selector, p.metadata.labels))
    : [];
  const previous = statusOf(pdb);
  const { kept, recheck } = liveDisruptions(
    previous,
    selected,
    Date.now(),
    timing.disruptedPodTimeoutMs,
  );
  if (recheck !== undefined) queue.addAfter(keyOf(pdb), recheck - Date.now() + 1);
  const healthy = selected.filter(
    (p) => !p.metadata.deletionTimestamp && !kept[p.metadata.name ?? ""] && isPodReady(p),
  ).length;
  const spec = (pdb.spec ?? {}) as { minAvailable?: unknown; maxUnavailable?: unknown };
  let expected: number | undefined = selected.length;
  let desired = 0;
  if (spec.maxUnavailable !== undefined) {
    expected = expectedScale(registry, selected);
    desired =
      expected === undefined ? 0 : Math.max(0, expected - scaled(spec.maxUnavailable, expected));
  } else if (typeof spec.minAvailable === "string") {
    expected = expectedScale(registry, selected);
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
    expectedPods: expected ?? selected.length,
    disruptionsAllowed: allowed,
  };
  setDisruptionAllowedCondition(status, pdb.metadata.generation ?? 1);
  return status;
}

function reconcile(registry: Registry, timing: Timing, queue: () => WorkQueue, key: string): void {
  const [namespace, name] = splitKey(key);
  const pdb = registry.tryGet(podDisruptionBudgets, namespace, name);
  if (!pdb || pdb.metadata.deletionTimestamp) return;
  const status = computeStatus(registry, pdb, timing, queue());
  if (JSON.stringify(status) === JSON.stringify(pdb.status ?? {})) return;
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
  const controller = runController(
    registry,
    (key) => reconcile(registry, timing, () => queue as WorkQueue, key),
    (event, enqueue) => {
      if (isResource(event, podDisruptionBudgets) && event.type !== "DELETED")
        enqueue(keyOf(event.entry.obj));
      if (!isResource(event, pods)) return;
      const pod = event.entry.obj;
      const before = event.previous?.obj.metadata.labels;
      for (const { obj: pdb } of registry.list(podDisruptionBudgets, pod.metadata.namespace)
        .entries) {
        const selector = pdbSelector(pdb);
        if (
          selector &&
          (matchesLabels(selector, pod.metadata.labels) || matchesLabels(selector, before))
        )
          enqueue(keyOf(pdb));
      }
    },
  );
  queue = controller.queue;
  return controller;
}
