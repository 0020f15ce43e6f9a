import {
  badRequest,
  childObject,
  conflict,
  field,
  isJsonObject,
  type JsonObject,
  type KubeObject,
  statusBody,
} from "../api";
import { admitNamespace, type DeleteOptions, type Registry } from "../registry";
import { pods } from "../resources/core/pod";
import { isPodReady, podPhase } from "../resources/pod-helpers";
import { checkAndDecrement, statusOf } from "./pdb-budget";
import { pdbsForPod } from "./pdb-selection";

export interface EvictionResult {
  code: number;
  body: Record<string, unknown>;
}

const success: EvictionResult = { code: 201, body: statusBody("Success", 201) };

/** eviction.go canIgnorePDB: terminal, pending or already terminating pods go without a budget check. */
function canIgnorePdb(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return (
    phase === "Succeeded" ||
    phase === "Failed" ||
    phase === "Pending" ||
    pod.metadata.deletionTimestamp !== undefined
  );
}

/** eviction.go propagateDryRun: the query and the body must agree. */
function deleteOptionsOf(eviction: Record<string, unknown>, dryRunQuery: boolean): DeleteOptions {
  const options = (isJsonObject(eviction.deleteOptions) ? eviction.deleteOptions : {}) as Record<
    string,
    unknown
  >;
  const bodyDryRun = Array.isArray(options.dryRun) ? options.dryRun.includes("All") : undefined;
  if (bodyDryRun !== undefined && dryRunQuery && !bodyDryRun) {
    throw badRequest("Non-matching dry-run options in request and content");
  }
  const grace = options.gracePeriodSeconds;
  return {
    dryRun: bodyDryRun ?? dryRunQuery,
    ...(typeof grace === "number" ? { gracePeriodSeconds: Math.max(0, grace) } : {}),
    ...(isJsonObject(options.preconditions)
      ? { preconditions: options.preconditions as DeleteOptions["preconditions"] }
      : {}),
  };
}

/** addConditionAndDeletePod: mark the pod DisruptionTarget, then delete it. */
function deleteEvicted(registry: Registry, pod: KubeObject, options: DeleteOptions): void {
  const { namespace = "", name = "" } = pod.metadata;
  const { uid, resourceVersion } = options.preconditions ?? {};
  if (
    (uid && uid !== pod.metadata.uid) ||
    (resourceVersion && resourceVersion !== pod.metadata.resourceVersion)
  ) {
    throw conflict(
      "pods",
      "",
      name,
      "the object has been modified; please apply your changes to the latest version and try again",
    );
  }
  if (!options.dryRun) {
    registry.mutate(pods, namespace, name, (next) => addDisruptionCondition(next), {
      subresource: "status",
    });
  }
  const { preconditions, ...rest } = options;
  registry.delete(pods, namespace, name, rest);
}

function addDisruptionCondition(pod: KubeObject): void {
  const status = childObject(pod as JsonObject, "status") as {
    conditions?: Record<string, unknown>[];
  };
  const conditions = (status.conditions ?? []).filter((c) => c.type !== "DisruptionTarget");
  conditions.push({
    type: "DisruptionTarget",
    status: "True",
    reason: "EvictionByEvictionAPI",
    message: "Eviction API: evicting",
    lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  });
  status.conditions = conditions;
}

/**
 * POST pods/{name}/eviction, following kube-apiserver's EvictionREST.Create
 * (pkg/registry/core/pod/storage/eviction.go) step by step.
 */
export function evictPod(
  registry: Registry,
  namespace: string,
  name: string,
  body: unknown,
  dryRunQuery: boolean,
): EvictionResult {
  if (!isJsonObject(body) || (body.kind !== undefined && body.kind !== "Eviction")) {
    throw badRequest(
      `not a Eviction object: ${isJsonObject(body) ? String(body.kind) : typeof body}`,
    );
  }
  if (field(body, "metadata", "name") !== name)
    throw badRequest("name in URL does not match name in Eviction object");
  const options = deleteOptionsOf(body, dryRunQuery);
  admitNamespace(registry, pods, namespace, name);
  const pod = registry.get(pods, namespace, name);
  if (canIgnorePdb(pod)) {
    deleteEvicted(registry, pod, options);
    return success;
  }
  const pdbs = pdbsForPod(registry, pod);
  if (pdbs.length > 1) {
    const message =
      "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";
    return { code: 500, body: statusBody("Failure", 500, message) };
  }
  const pdb = pdbs[0];
  if (pdb && !unhealthyPodMayGo(pod, pdb))
    checkAndDecrement(registry, pdb, name, options.dryRun ?? false);
  deleteEvicted(registry, pod, options);
  return success;
}

/**
 * An unready pod does not count towards the budget: with AlwaysAllow it may
 * always go; with IfHealthyBudget (the default) only while the budget is met.
 */
function unhealthyPodMayGo(pod: KubeObject, pdb: KubeObject): boolean {
  if (isPodReady(pod)) return false;
  if (field(pdb, "spec", "unhealthyPodEvictionPolicy") === "AlwaysAllow") return true;
  const status = statusOf(pdb);
  return (
    (status.currentHealthy ?? 0) >= (status.desiredHealthy ?? 0) && (status.desiredHealthy ?? 0) > 0
  );
}
