import { field, type KubeObject } from "../api";
import type { Registry } from "../registry";
import { replicaSets } from "../resources/apps/workloads";
import { pods } from "../resources/core/pod";
import { isPodReady, nodeNameOf } from "../resources/pod-helpers";
import { type Controller, controllerKey, isResource, keyOf, runController } from "./controller";
import { OwnedPodCounts } from "./owned-pod-counts";
import { ownedPods, podFromTemplate, writeStatus } from "./pod-factory";
import { splitKey } from "./work-queue";

/** controller.ActivePods ordering: delete unscheduled, then not ready, then the youngest first. */
function deletionRank(a: KubeObject, b: KubeObject): number {
  const scheduled = Number(nodeNameOf(a) !== "") - Number(nodeNameOf(b) !== "");
  if (scheduled !== 0) return scheduled;
  const ready = Number(isPodReady(a)) - Number(isPodReady(b));
  if (ready !== 0) return ready;
  return (b.metadata.creationTimestamp ?? "").localeCompare(a.metadata.creationTimestamp ?? "");
}

function scaleDown(registry: Registry, rs: KubeObject, excess: number): void {
  const namespace = rs.metadata.namespace ?? "";
  for (const pod of ownedPods(registry, rs).sort(deletionRank).slice(0, excess))
    registry.delete(pods, namespace, pod.metadata.name ?? "");
}

function reconcile(registry: Registry, counts: OwnedPodCounts, key: string): void {
  const [namespace, name] = splitKey(key);
  const rs = registry.tryGet(replicaSets, namespace, name);
  if (!rs || rs.metadata.deletionTimestamp) return;
  const uid = rs.metadata.uid ?? "";
  let { active, ready } = counts.of(uid);
  const desired = (field(rs, "spec", "replicas") as number | undefined) ?? 1;
  if (active > desired) {
    scaleDown(registry, rs, active - desired);
    ({ active, ready } = counts.of(uid));
  }
  // New pods are active and not ready yet.
  for (; active < desired; active++)
    registry.create(pods, namespace, podFromTemplate(rs, { generateName: `${name}-` }));
  writeStatus(registry, rs, {
    replicas: active,
    fullyLabeledReplicas: active,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  });
}

/** Keeps spec.replicas pods of each ReplicaSet alive. */
export function startReplicaSetController(registry: Registry): Controller {
  const counts = new OwnedPodCounts(registry);
  const controller = runController(
    registry,
    (key) => reconcile(registry, counts, key),
    (event, enqueue) => {
      if (isResource(event, replicaSets) && event.type !== "DELETED")
        enqueue(keyOf(event.entry.obj));
      if (isResource(event, pods)) {
        const owner = controllerKey(event.entry.obj, "ReplicaSet");
        if (owner) enqueue(owner);
      }
    },
  );
  return {
    stop() {
      controller.stop();
      counts.close();
    },
  };
}
