import type { KubeObject } from "../api";
import { bootstrapCluster } from "../cluster/bootstrap";
import { nodeConditions } from "../kubelet/node-object";
import { Registry } from "../registry";
import { nodes } from "../resources/core/node";
import { pods } from "../resources/core/pod";
import { podDisruptionBudgets } from "../resources/other/pdb";

/** A registry with the system namespaces and no controllers: state changes only when a test says so. */
export function quietRegistry(): Registry {
  const registry = new Registry();
  bootstrapCluster(registry);
  return registry;
}

export interface PodSpecOptions {
  labels?: Record<string, string>;
  nodeName?: string;
  phase?: "Pending" | "Running" | "Succeeded" | "Failed";
  ready?: boolean;
  namespace?: string;
  grace?: number;
}

export function createPod(
  registry: Registry,
  name: string,
  options: PodSpecOptions = {},
): KubeObject {
  const namespace = options.namespace ?? "default";
  registry.create(pods, namespace, {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: options.labels ?? { app: "web" } },
    spec: {
      containers: [{ name: "app", image: "nginx:1.27" }],
      ...(options.nodeName ? { nodeName: options.nodeName } : {}),
      ...(options.grace !== undefined ? { terminationGracePeriodSeconds: options.grace } : {}),
    },
  });
  const ready = options.ready ?? options.phase === "Running";
  return (
    registry.mutate(
      pods,
      namespace,
      name,
      (pod) => {
        pod.status = {
          phase: options.phase ?? "Pending",
          conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
        };
      },
      { subresource: "status" },
    ) ?? registry.get(pods, namespace, name)
  );
}

export function createReadyNode(
  registry: Registry,
  name: string,
  labels: Record<string, string> = {},
  spec: Record<string, unknown> = {},
): KubeObject {
  registry.create(nodes, "", {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...labels } },
    spec,
  });
  return registry.mutate(
    nodes,
    "",
    name,
    (node) => {
      node.status = {
        conditions: nodeConditions(true),
        allocatable: { pods: "110", cpu: "4", memory: "8Gi" },
      };
    },
    { subresource: "status" },
  ) as KubeObject;
}

export function createPdb(
  registry: Registry,
  name: string,
  spec: Record<string, unknown>,
  status?: Record<string, unknown>,
): KubeObject {
  const pdb = registry.create(podDisruptionBudgets, "default", {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name },
    spec: { selector: { matchLabels: { app: "web" } }, ...spec },
  });
  if (!status) return pdb;
  return registry.mutate(
    podDisruptionBudgets,
    "default",
    name,
    (p) => {
      p.status = { observedGeneration: p.metadata.generation, ...status };
    },
    { subresource: "status" },
  ) as KubeObject;
}

export function eviction(
  name: string,
  deleteOptions?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    apiVersion: "policy/v1",
    kind: "Eviction",
    metadata: { name, namespace: "default" },
    ...(deleteOptions ? { deleteOptions } : {}),
  };
}
