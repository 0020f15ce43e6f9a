import { field, type KubeObject } from "../api";
import type { Registry } from "../registry";
import { daemonSets } from "../resources/apps/workloads";
import { nodes } from "../resources/core/node";
import { pods } from "../resources/core/pod";
import {
  isPodReady,
  nodeNameOf,
  type Taint,
  type Toleration,
  tolerates,
} from "../resources/pod-helpers";
import { type Controller, controllerKey, isResource, keyOf, runController } from "./controller";
import { blockingTaints, matchesNodeSelection, nodeSelectorTerms } from "./node-fit";
import { ownedPods, podFromTemplate, writeStatus } from "./pod-factory";
import { splitKey } from "./work-queue";

/** The tolerations the DaemonSet controller adds to every daemon pod (util.AddOrUpdateDaemonPodTolerations). */
export const daemonTolerations: Toleration[] = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
  { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
  { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
];

function daemonPod(ds: KubeObject, nodeName: string): KubeObject {
  const pod = podFromTemplate(ds, { generateName: `${ds.metadata.name}-` });
  const spec = pod.spec as Record<string, unknown>;
  const own = (spec.tolerations as Toleration[] | undefined) ?? [];
  spec.tolerations = [...own, ...daemonTolerations];
  spec.affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [
          { matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] },
        ],
      },
    },
  };
  return pod;
}

/**
 * Whether a daemon pod belongs on `node` (NodeShouldRunDaemonPod): new pods
 * need every taint tolerated; running pods only go for untolerated NoExecute.
 */
function placementOn(
  node: KubeObject | undefined,
  template: KubeObject,
): { run: boolean; keep: boolean } {
  if (!node || node.metadata.deletionTimestamp || !matchesNodeSelection(template, node))
    return { run: false, keep: false };
  const tolerations = [
    ...((field(template, "spec", "tolerations") as Toleration[] | undefined) ?? []),
    ...daemonTolerations,
  ];
  const untolerated = blockingTaints(node).filter((t: Taint) => !tolerates(tolerations, t));
  return {
    run: untolerated.length === 0,
    keep: untolerated.every((t) => t.effect !== "NoExecute"),
  };
}

/** The node a daemon pod is pinned to, by spec.nodeName or its matchFields affinity. */
function targetNode(pod: KubeObject): string {
  const pinned = nodeSelectorTerms(pod)[0]?.matchFields?.[0]?.values?.[0];
  return nodeNameOf(pod) || (typeof pinned === "string" ? pinned : "");
}

function reconcile(registry: Registry, key: string): void {
  const [namespace, name] = splitKey(key);
  const ds = registry.tryGet(daemonSets, namespace, name);
  if (!ds || ds.metadata.deletionTimestamp) return;
  const template = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {},
    spec: field(ds, "spec", "template", "spec"),
  } as KubeObject;
  const allNodes = new Map(registry.list(nodes).entries.map((e) => [e.name, e.obj]));
  const wantedNames = new Set(
    [...allNodes.keys()].filter((n) => placementOn(allNodes.get(n), template).run),
  );
  const byNode = new Map<string, KubeObject[]>();
  for (const pod of ownedPods(registry, ds, true))
    byNode.set(targetNode(pod), [...(byNode.get(targetNode(pod)) ?? []), pod]);
  for (const node of wantedNames)
    if (!byNode.has(node)) registry.create(pods, namespace, daemonPod(ds, node));
  for (const [node, list] of byNode) {
    const live = list.filter((p) => !p.metadata.deletionTimestamp);
    const keep = wantedNames.has(node) || placementOn(allNodes.get(node), template).keep;
    const extra = keep ? live.slice(1) : live;
    for (const pod of extra) registry.delete(pods, namespace, pod.metadata.name ?? "");
  }
  const active = ownedPods(registry, ds).filter((p) => allNodes.has(targetNode(p)));
  const ready = active.filter(isPodReady).length;
  writeStatus(registry, ds, {
    observedGeneration: ds.metadata.generation ?? 1,
    desiredNumberScheduled: wantedNames.size,
    currentNumberScheduled: active.filter((p) => nodeNameOf(p) !== "").length,
    updatedNumberScheduled: active.length,
    numberReady: ready,
    numberAvailable: ready,
    numberUnavailable: Math.max(0, wantedNames.size - ready),
    numberMisscheduled: 0,
  });
}

/** Placement-relevant parts of a node; heartbeats change none of them. */
function placement(node: KubeObject | undefined): string {
  if (!node) return "";
  return JSON.stringify([
    node.metadata.labels,
    field(node, "spec", "taints"),
    field(node, "spec", "unschedulable"),
    !!node.metadata.deletionTimestamp,
  ]);
}

/** One daemon pod on every node that fits, including cordoned ones. */
export function startDaemonSetController(registry: Registry): Controller {
  const controller = runController(
    registry,
    (key) => reconcile(registry, key),
    (event, enqueue) => {
      if (isResource(event, daemonSets) && event.type !== "DELETED")
        enqueue(keyOf(event.entry.obj));
      if (isResource(event, pods)) {
        const owner = controllerKey(event.entry.obj, "DaemonSet");
        if (owner) enqueue(owner);
      }
      if (
        isResource(event, nodes) &&
        (event.type !== "MODIFIED" || placement(event.entry.obj) !== placement(event.previous?.obj))
      ) {
        for (const ds of registry.list(daemonSets).entries) enqueue(keyOf(ds.obj));
      }
    },
  );
  return controller;
}
