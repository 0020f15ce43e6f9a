import type { V1Pod, V1PodDisruptionBudget } from "@kubernetes/client-node";
import { KeelsonError } from "../../machinery/errors";
import type { ResolvedPlan } from "../plan/resolve-plan";
import { ChangeSignal, watchChanges, whenChanged } from "./changes";
import { type KubeApis, reasonOf, statusOf } from "./kube-apis";
import { selectorString } from "./selector-string";

/** The plan's drain settings; `force` evicts pods no controller manages (they are gone for good). */
export type DrainOptions = Omit<ResolvedPlan["drain"], "onTimeout"> & { signal?: AbortSignal };

export type DrainResult =
  | { drained: true; evicted: number; refusals: number }
  | { drained: false; remaining: string[]; refusals: number; message: string };

const key = (p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`;
const jitter = (ms: number) => ms / 2 + Math.random() * ms;
const askEveryMs = 1000;

/**
 * Drains a cordoned node the way `kubectl drain` does: mirror pods are left
 * alone, DaemonSet pods ignored when told, pods with emptyDir data or without
 * a controller refused up front unless allowed; every other pod is evicted
 * through pods/eviction, so PodDisruptionBudgets decide. A 429 is retried
 * with jittered backoff and at once when a budget or a pod changes; a 500
 * (more than one budget covers the pod) fails the drain at once. A pod counts
 * as gone when no pod of its name has its UID (a StatefulSet's successor of
 * the same name does not stall the drain).
 */
export async function drainNode(
  apis: KubeApis,
  node: string,
  options: DrainOptions,
  onStatus: (message: string) => void = () => {},
): Promise<DrainResult> {
  const pods = await podsToEvict(apis, node, options);
  const pending = new Map(pods.map((p) => [key(p), p]));
  const evicting = new Set<string>();
  const changes = new ChangeSignal();
  /** UIDs the pod watch saw deleted: most pods are known gone without asking. */
  const deleted = new Set<string>();
  let blocked = "";
  const stops = [
    watchChanges(apis, "/api/v1/pods", { fieldSelector: `spec.nodeName=${node}` }, (type, o) => {
      const uid = (o as V1Pod | undefined)?.metadata?.uid;
      if (type === "DELETED" && uid) deleted.add(uid);
      changes.notify();
    }),
    // A refused eviction is tried again the moment a budget allows more disruptions.
    watchChanges(
      apis,
      "/apis/policy/v1/poddisruptionbudgets",
      {},
      whenChanged(allowance, () => changes.notify()),
    ),
  ];
  const deadline = Date.now() + options.timeoutMs;
  let refusals = 0;
  let backoff = 250;
  let askedAt = 0;
  try {
    while (pending.size > 0) {
      if (options.signal?.aborted) throw KeelsonError.from(options.signal.reason);
      const seen = changes.version;
      let refused = "";
      // What the watch did not show (it may have opened after a pod went) is asked once a second.
      const ask = Date.now() - askedAt >= askEveryMs;
      if (ask) askedAt = Date.now();
      for (const [name, pod] of pending) {
        if (!evicting.has(name)) {
          const answer = await evict(apis, pod, options.gracePeriodSeconds);
          if (answer === "evicting") evicting.add(name);
          else if (answer === "gone") pending.delete(name);
          else {
            refusals++;
            refused = `${name}: ${answer}`;
          }
        }
        if (!evicting.has(name)) continue;
        if (deleted.has(pod.metadata?.uid ?? "") || (ask && (await goneByUid(apis, pod))))
          pending.delete(name);
      }
      blocked = refused;
      if (pending.size === 0) break;
      const left = deadline - Date.now();
      const names = [...pending.keys()];
      if (left <= 0)
        return {
          drained: false,
          remaining: names,
          refusals,
          message: `drain timed out with ${names.length} pod(s) left: ${names.join(", ")}${blocked ? ` (${blocked})` : ""}`,
        };
      onStatus(
        blocked ? `eviction refused: ${blocked}` : `waiting for ${names.length} pod(s) to go`,
      );
      backoff = blocked ? Math.min(backoff * 2, 5000) : 250;
      await changes.next(
        Math.min(left, blocked ? jitter(backoff) : askEveryMs),
        options.signal,
        seen,
      );
    }
    return { drained: true, evicted: pods.length, refusals };
  } finally {
    for (const stop of stops) stop();
  }
}

/** What of a budget decides whether an eviction may go now. */
function allowance(object: unknown): string {
  return String((object as V1PodDisruptionBudget | undefined)?.status?.disruptionsAllowed);
}

/** Deletes the pods left after a drain timed out, bypassing their budgets (onTimeout: force). */
export async function deletePods(apis: KubeApis, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const [namespace = "", pod = ""] = name.split("/");
    await apis.core.deleteNamespacedPod({ name: pod, namespace }).catch((error: unknown) => {
      if (statusOf(error) !== 404) throw error;
    });
  }
}

/** The pods to evict; refuses (before evicting anything) pods the options do not allow. */
async function podsToEvict(apis: KubeApis, node: string, options: DrainOptions): Promise<V1Pod[]> {
  const list = await apis.core.listPodForAllNamespaces({
    fieldSelector: `spec.nodeName=${node}`,
    labelSelector: selectorString(options.podSelector),
  });
  const problems: string[] = [];
  const evict: V1Pod[] = [];
  for (const pod of list.items) {
    if (pod.metadata?.annotations?.["kubernetes.io/config.mirror"]) continue;
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
    if (owner?.kind === "DaemonSet") {
      if (!options.ignoreDaemonSets) problems.push(`${key(pod)} is managed by a DaemonSet`);
      continue;
    }
    const finished = pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";
    if (!owner && !finished && !options.force)
      problems.push(`${key(pod)} is not managed by a controller and would be lost`);
    if (!finished && !options.deleteEmptyDirData && pod.spec?.volumes?.some((v) => v.emptyDir))
      problems.push(`${key(pod)} has emptyDir data that would be lost`);
    evict.push(pod);
  }
  if (problems.length > 0)
    throw new KeelsonError(
      "failedPrecondition",
      `cannot drain ${node}: ${problems.join("; ")}`,
      "set the plan's drain.ignoreDaemonSets, drain.force or drain.deleteEmptyDirData if that is intended",
    );
  return evict;
}

/** One eviction: "evicting", "gone", or why it was refused (429 and such, to retry). */
async function evict(apis: KubeApis, pod: V1Pod, grace: number | undefined): Promise<string> {
  const name = pod.metadata?.name ?? "";
  const namespace = pod.metadata?.namespace ?? "";
  try {
    await apis.core.createNamespacedPodEviction({
      name,
      namespace,
      body: {
        apiVersion: "policy/v1",
        kind: "Eviction",
        metadata: { name, namespace },
        ...(grace !== undefined ? { deleteOptions: { gracePeriodSeconds: grace } } : {}),
      },
    });
    return "evicting";
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return "gone";
    if (status === 429) return reasonOf(error);
    if (status === 500)
      throw new KeelsonError(
        "failedPrecondition",
        `cannot evict ${namespace}/${name}: ${reasonOf(error)}`,
        "a pod may be covered by one PodDisruptionBudget only: fix the budgets' selectors",
      );
    throw error;
  }
}

async function goneByUid(apis: KubeApis, pod: V1Pod): Promise<boolean> {
  try {
    const now = await apis.core.readNamespacedPod({
      name: pod.metadata?.name ?? "",
      namespace: pod.metadata?.namespace ?? "",
    });
    return now.metadata?.uid !== pod.metadata?.uid || now.spec?.nodeName !== pod.spec?.nodeName;
  } catch (error) {
    if (statusOf(error) === 404) return true;
    throw error;
  }
}
