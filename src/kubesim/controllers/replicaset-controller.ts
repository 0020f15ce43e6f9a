import { field, type KubeObject } from "../api";
import type { Registry } from "../registry";
import { replicaSets } from "../resources/apps/workloads";
import { pods } from "../resources/core/pod";
import { isPodReady, nodeNameOf } from "../resources/pod-helpers";
import { type Controller, controllerKey, isResource, keyOf, runController } from "./controller";
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

function reconcile(registry: Registry, key: string): void {
  const [namespace, name] = splitKey(key);
  const rs = registry.tryGet(replicaSets, namespace, name);
  if (!rs || rs.metadata.deletionTimestamp) return;
  const active = ownedPods(registry, rs);
  const desired = (field(rs, "spec", "replicas") as number | undefined) ?? 1;
  if (active.length < desired) {
    for (let i = active.length; i < desired; i++) {
      registry.create(pods, namespace, podFromTemplate(rs, { generateName: `${name}-` }));
    }
  } else if (active.length > desired) {
    for (const pod of [...active].sort(deletionRank).slice(0, active.length - desired)) {
      registry.delete(pods, namespace, pod.metadata.name ?? "");
    }
  }
  const current = ownedPods(registry, rs);
  const ready = current.filter(isPodReady).length;
  writeStatus(registry, rs, {
    replicas: current.length,
    fullyLabeledReplicas: current.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: rs.metadata.generation ?? 1,
  });
}

/** Keeps spec.replicas pods of each ReplicaSet alive. */
export function startReplicaSetController(registry: Registry): Controller {
  return runController(
    registry,
    (key) => reconcile(registry, key),
    (event, enqueue) => {
      if (isResource(event, replicaSets) && event.type !== "DELETED")
        enqueue(keyOf(event.entry.obj));
      if (isResource(event, pods)) {
        const owner = controllerKey(event.entry.obj, "ReplicaSet");
        if (owner) enqueue(owner);
      }
    },
  );
}
