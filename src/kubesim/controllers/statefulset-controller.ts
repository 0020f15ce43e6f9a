import { field, type KubeObject } from "../api";
import type { Registry } from "../registry";
import { statefulSets } from "../resources/apps/workloads";
import { pods } from "../resources/core/pod";
import { isPodReady, podPhase } from "../resources/pod-helpers";
import { type Controller, controllerKey, isResource, keyOf, runController } from "./controller";
import { ownedPods, podFromTemplate, writeStatus } from "./pod-factory";
import { splitKey } from "./work-queue";

function ordinalOf(set: KubeObject, pod: KubeObject): number {
  const suffix = (pod.metadata.name ?? "").slice((set.metadata.name ?? "").length + 1);
  return /^\d+$/.test(suffix) ? Number(suffix) : -1;
}

function statefulPod(set: KubeObject, ordinal: number): KubeObject {
  const name = `${set.metadata.name}-${ordinal}`;
  const labels = {
    "statefulset.kubernetes.io/pod-name": name,
    "apps.kubernetes.io/pod-index": String(ordinal),
  };
  const pod = podFromTemplate(set, { name }, { labels });
  const spec = pod.spec as Record<string, unknown>;
  spec.hostname = name;
  const service = field(set, "spec", "serviceName");
  if (typeof service === "string" && service) spec.subdomain = service;
  return pod;
}

/**
 * Stable identities: pod `<set>-<ordinal>` is recreated with the same name
 * once the old one is gone. OrderedReady creates ordinal N only after 0..N-1
 * are Running and Ready, and removes the highest ordinal first.
 */
function reconcile(registry: Registry, key: string): void {
  const [namespace, name] = splitKey(key);
  const set = registry.tryGet(statefulSets, namespace, name);
  if (!set || set.metadata.deletionTimestamp) return;
  const replicas = (field(set, "spec", "replicas") as number | undefined) ?? 1;
  const ordered = field(set, "spec", "podManagementPolicy") !== "Parallel";
  const all = ownedPods(registry, set, true);
  const byOrdinal = new Map(all.map((p) => [ordinalOf(set, p), p]));
  for (let i = 0; i < replicas; i++) {
    const pod = byOrdinal.get(i);
    if (!pod) {
      if (!registry.tryGet(pods, namespace, `${name}-${i}`))
        registry.create(pods, namespace, statefulPod(set, i));
      if (ordered) break;
      continue;
    }
    const healthy =
      !pod.metadata.deletionTimestamp && podPhase(pod) === "Running" && isPodReady(pod);
    if (ordered && !healthy) break;
  }
  const excess = all.filter((p) => ordinalOf(set, p) >= replicas && !p.metadata.deletionTimestamp);
  const doomed = excess
    .sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a))
    .slice(0, ordered ? 1 : excess.length);
  for (const pod of doomed) registry.delete(pods, namespace, pod.metadata.name ?? "");
  const active = ownedPods(registry, set);
  const ready = active.filter(isPodReady).length;
  writeStatus(registry, set, {
    observedGeneration: set.metadata.generation ?? 1,
    replicas: active.length,
    readyReplicas: ready,
    currentReplicas: active.length,
    updatedReplicas: active.length,
    availableReplicas: ready,
  });
}

export function startStatefulSetController(registry: Registry): Controller {
  return runController(
    registry,
    (key) => reconcile(registry, key),
    (event, enqueue) => {
      if (isResource(event, statefulSets) && event.type !== "DELETED")
        enqueue(keyOf(event.entry.obj));
      if (isResource(event, pods)) {
        const owner = controllerKey(event.entry.obj, "StatefulSet");
        if (owner) enqueue(owner);
      }
    },
  );
}
