import { KubeClient } from "../../machinery/kube";
import { type ClusterCredentials, readKubeconfig } from "../../machinery/kube/kubeconfig";
import type { KubeObject } from "../api";

export interface DemoWorkloadOptions {
  kubeconfigPath?: string;
  credentials?: ClusterCredentials;
  namespace?: string;
  /** Replicas of the Deployment guarded by the PDB. */
  replicas?: number;
}

function container(name: string) {
  return [
    {
      name,
      image: `registry.k8s.io/${name}:1.0`,
      resources: { requests: { cpu: "50m", memory: "32Mi" } },
    },
  ];
}

function template(app: string) {
  return {
    metadata: { labels: { app } },
    spec: { containers: container(app), terminationGracePeriodSeconds: 5 },
  };
}

/** A Deployment with a PDB, a DaemonSet and a StatefulSet: something for a drain to move. */
export function demoObjects(namespace: string, replicas: number): KubeObject[] {
  const meta = (name: string) => ({
    name,
    namespace,
    labels: { "app.kubernetes.io/part-of": "kubesim-demo" },
  });
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta("web"),
      spec: { replicas, selector: { matchLabels: { app: "web" } }, template: template("web") },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta("web"),
      spec: { maxUnavailable: 1, selector: { matchLabels: { app: "web" } } },
    },
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: meta("node-agent"),
      spec: { selector: { matchLabels: { app: "node-agent" } }, template: template("node-agent") },
    },
    {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: meta("db"),
      spec: {
        replicas: 2,
        serviceName: "db",
        selector: { matchLabels: { app: "db" } },
        template: template("db"),
      },
    },
  ];
}

function collectionPath(obj: KubeObject): string {
  const base = obj.apiVersion === "v1" ? "/api/v1" : `/apis/${obj.apiVersion}`;
  const plural = `${obj.kind.toLowerCase()}s`.replace(/ys$/, "ies");
  return obj.metadata.namespace
    ? `${base}/namespaces/${obj.metadata.namespace}/${plural}`
    : `${base}/${plural}`;
}

/** Creates the demo workload; objects that already exist are left as they are. */
export async function applyDemoWorkload(options: DemoWorkloadOptions): Promise<void> {
  const credentials =
    options.credentials ??
    (options.kubeconfigPath ? await readKubeconfig(options.kubeconfigPath) : undefined);
  if (!credentials) throw new Error("applyDemoWorkload needs kubeconfigPath or credentials");
  const client = new KubeClient(credentials);
  try {
    for (const obj of demoObjects(options.namespace ?? "demo", options.replicas ?? 3)) {
      const res = await client.send("POST", collectionPath(obj), obj);
      if (res.status >= 300 && res.status !== 409)
        await client.call("POST", collectionPath(obj), obj);
    }
  } finally {
    client.close();
  }
}
