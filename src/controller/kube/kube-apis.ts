import { createHash } from "node:crypto";
import { Agent, type AgentOptions } from "node:https";
import * as k8s from "@kubernetes/client-node";
import { KeelsonError } from "../../machinery/errors";
import type { NodeCache } from "./node-cache";

/** The typed APIs the engine uses, all from one kubeconfig. */
export interface KubeApis {
  config: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  policy: k8s.PolicyV1Api;
  coordination: k8s.CoordinationV1Api;
  custom: k8s.CustomObjectsApi;
  apps: k8s.AppsV1Api;
  /** Where the Nodes written through these APIs are kept, when an engine keeps them (see NodeCache). */
  nodeCache?: NodeCache;
}

/** From a kubeconfig file, or (no path) the pod's service account in cluster. */
export function kubeApis(kubeconfigPath?: string): KubeApis {
  const config = new k8s.KubeConfig();
  if (kubeconfigPath) config.loadFromFile(kubeconfigPath);
  else config.loadFromCluster();
  keepConnections(config);
  return {
    config,
    core: config.makeApiClient(k8s.CoreV1Api),
    policy: config.makeApiClient(k8s.PolicyV1Api),
    coordination: config.makeApiClient(k8s.CoordinationV1Api),
    custom: config.makeApiClient(k8s.CustomObjectsApi),
    apps: config.makeApiClient(k8s.AppsV1Api),
  };
}

/**
 * client-node 1.4 makes a new https.Agent, so a new TLS connection with its
 * certificates parsed again, for every request: at a thousand nodes that
 * was a third of the controller's CPU. Requests (not watches, which hold
 * their connection open and are cut when they end) share one keep-alive
 * agent per set of TLS options instead; options that change, as an exec
 * plugin's certificates may, get an agent of their own.
 */
function keepConnections(config: k8s.KubeConfig): void {
  const original = config.applySecurityAuthentication.bind(config);
  const agents = new Map<string, Agent>();
  config.applySecurityAuthentication = async (context) => {
    await original(context);
    const fresh = context.getAgent();
    if (!(fresh instanceof Agent)) return;
    const options = fresh.options as AgentOptions;
    const key = createHash("sha256")
      .update(
        JSON.stringify([
          options.servername,
          options.rejectUnauthorized,
          ...[options.ca, options.cert, options.key, options.pfx].map((v) => v?.toString()),
        ]),
      )
      .digest("hex");
    let agent = agents.get(key);
    if (!agent) {
      agent = new Agent({ ...options, keepAlive: true });
      agents.set(key, agent);
    }
    context.setAgent(agent);
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
  // Callers check their own signal first: a cancel they did not ask for is the transport's
  // (an HTTP/2 stream reset while a node's API stalled), found by the rollout property test.
  return (
    code === "unavailable" ||
    code === "deadlineExceeded" ||
    code === "aborted" ||
    code === "canceled"
  );
}

/** An error as a person reads it: the API server's own message with its HTTP status, or ours. */
export function describeError(error: unknown): string {
  if (error instanceof k8s.ApiException) return `HTTP ${error.code}: ${reasonOf(error)}`;
  return KeelsonError.from(error).message;
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
