import { createHash } from "node:crypto";
import { field, type JsonObject, type KubeObject, ownerReferenceTo } from "../api";
import type { Registry } from "../registry";
import { deployments, replicaSets } from "../resources/apps/workloads";
import { storageKey } from "../resources/resource-type";
import { type Controller, controllerKey, isResource, keyOf, runController } from "./controller";
import { writeStatus } from "./pod-factory";
import { splitKey } from "./work-queue";

const hashLabel = "pod-template-hash";

/** A short, stable hash of the pod template, as the deployment controller labels ReplicaSets with. */
export function templateHash(deploy: KubeObject): string {
  const digest = createHash("sha256")
    .update(JSON.stringify(field(deploy, "spec", "template") ?? {}))
    .digest("hex");
  return digest.slice(0, 10).replace(/[aeiou]/g, (c) => String("aeiou".indexOf(c)));
}

function ownedReplicaSets(registry: Registry, deploy: KubeObject): KubeObject[] {
  return registry.store
    .table(storageKey(replicaSets))
    .byIndex("owner", deploy.metadata.uid ?? "")
    .map((e) => e.obj);
}

function newReplicaSet(
  deploy: KubeObject,
  hash: string,
  replicas: number,
  revision: number,
): KubeObject {
  const spec = deploy.spec as JsonObject;
  const template = structuredClone(spec.template) as {
    metadata: { labels?: Record<string, string> };
  };
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [hashLabel]: hash };
  const selector = structuredClone(spec.selector) as { matchLabels?: Record<string, string> };
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [hashLabel]: hash };
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${deploy.metadata.name}-${hash}`,
      namespace: deploy.metadata.namespace,
      labels: template.metadata.labels,
      annotations: { "deployment.kubernetes.io/revision": String(revision) },
      ownerReferences: [ownerReferenceTo(deploy)],
    },
    spec: { replicas, selector, template },
  };
}

const replicasOf = (obj: KubeObject, part: "spec" | "status", key = "replicas") =>
  (field(obj, part, key) as number | undefined) ?? 0;

function setReplicas(registry: Registry, rs: KubeObject, replicas: number): void {
  if (replicasOf(rs, "spec") === replicas) return;
  registry.mutate(replicaSets, rs.metadata.namespace ?? "", rs.metadata.name ?? "", (next) => {
    (next.spec as JsonObject).replicas = replicas;
  });
}

/**
 * Rolls a Deployment onto the ReplicaSet of its current template: the new one
 * gets every replica at once, old ones shrink as new pods become ready.
 */
function reconcile(registry: Registry, key: string): void {
  const [namespace, name] = splitKey(key);
  const deploy = registry.tryGet(deployments, namespace, name);
  if (!deploy || deploy.metadata.deletionTimestamp) return;
  const desired = replicasOf(deploy, "spec");
  const hash = templateHash(deploy);
  const owned = ownedReplicaSets(registry, deploy);
  let current = owned.find((rs) => rs.metadata.labels?.[hashLabel] === hash);
  if (!current) {
    current = registry.create(
      replicaSets,
      namespace,
      newReplicaSet(deploy, hash, desired, owned.length + 1),
    );
  } else setReplicas(registry, current, desired);
  const newReady = replicasOf(current, "status", "readyReplicas");
  for (const old of owned.filter((rs) => rs !== current))
    setReplicas(registry, old, Math.max(0, Math.min(replicasOf(old, "spec"), desired - newReady)));
  const all = ownedReplicaSets(registry, deploy);
  const sum = (key: string) => all.reduce((n, rs) => n + replicasOf(rs, "status", key), 0);
  const available = sum("availableReplicas");
  writeStatus(registry, deploy, {
    observedGeneration: deploy.metadata.generation ?? 1,
    replicas: sum("replicas"),
    updatedReplicas: replicasOf(current, "status"),
    readyReplicas: sum("readyReplicas"),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, desired - available),
    conditions: [
      {
        type: "Available",
        status: available >= desired ? "True" : "False",
        reason: available >= desired ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
      },
    ],
  });
}

export function startDeploymentController(registry: Registry): Controller {
  return runController(
    registry,
    (key) => reconcile(registry, key),
    (event, enqueue) => {
      if (isResource(event, deployments) && event.type !== "DELETED")
        enqueue(keyOf(event.entry.obj));
      if (isResource(event, replicaSets)) {
        const owner = controllerKey(event.entry.obj, "Deployment");
        if (owner) enqueue(owner);
      }
    },
  );
}
