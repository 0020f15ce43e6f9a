import * as k8s from "@kubernetes/client-node";
import { KeelsonError } from "../../machinery/errors";

/** The typed APIs the engine uses, all from one kubeconfig. */
export interface KubeApis {
  config: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  policy: k8s.PolicyV1Api;
  coordination: k8s.CoordinationV1Api;
  custom: k8s.CustomObjectsApi;
  apps: k8s.AppsV1Api;
}

/** From a kubeconfig file, or (no path) the pod's service account in cluster. */
export function kubeApis(kubeconfigPath?: string): KubeApis {
  const config = new k8s.KubeConfig();
  if (kubeconfigPath) config.loadFromFile(kubeconfigPath);
  else config.loadFromCluster();
  return {
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    policy: config.makeApiClient(k8s.PolicyV1Api),
    coordination: config.makeApiClient(k8s.CoordinationV1Api),
    custom: config.makeApiClient(k8s.CustomObjectsApi),
    apps: config.makeApiClient(k8s.AppsV1Api),
  };
}

/** Merge patches, as `kubectl patch --type merge` sends them. */
export const mergePatch = k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch);

/** The HTTP status of a failed call (0 when it never got one). */
export function statusOf(error: unknown): number {
  return error instanceof k8s.ApiException ? error.code : 0;
}

/**
 * An error worth trying again rather than failing a node for: the API
 * server busy, conflicting or away, a connection dropped, a node's API not
 * answering for now.
 */
export function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status) return status === 409 || status === 429 || (status >= 500 && status !== 501);
  const code = KeelsonError.from(error).code;
  return code === "unavailable" || code === "deadlineExceeded" || code === "aborted";
}

/** What the API server said, for messages. */
export function reasonOf(error: unknown): string {
  if (error instanceof k8s.ApiException) {
    const body = typeof error.body === "string" ? safeJson(error.body) : error.body;
    return (body as { message?: string } | undefined)?.message ?? `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}
