import { field, type KubeObject } from "../api";

interface Condition {
  type: string;
  status: string;
}

export function conditionStatus(obj: KubeObject, type: string): string | undefined {
  const conditions = field(obj, "status", "conditions");
  if (!Array.isArray(conditions)) return undefined;
  return (conditions as Condition[]).find((c) => c.type === type)?.status;
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: KubeObject): boolean {
  return conditionStatus(pod, "Ready") === "True";
}

export function podPhase(pod: KubeObject): string {
  return (field(pod, "status", "phase") as string | undefined) ?? "Pending";
}

export function isTerminal(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase === "Succeeded" || phase === "Failed";
}

export function nodeNameOf(pod: KubeObject): string {
  return (field(pod, "spec", "nodeName") as string | undefined) ?? "";
}

export function isNodeReady(node: KubeObject): boolean {
  return conditionStatus(node, "Ready") === "True";
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export function taintsOf(node: KubeObject): Taint[] {
  const taints = field(node, "spec", "taints");
  return Array.isArray(taints) ? (taints as Taint[]) : [];
}

export function tolerationsOf(pod: KubeObject): Toleration[] {
  const list = field(pod, "spec", "tolerations");
  return Array.isArray(list) ? (list as Toleration[]) : [];
}

/** v1helper.TolerationsTolerateTaint. */
export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === "Exists") return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
  });
}

export function isDaemonSetPod(pod: KubeObject): boolean {
  return (
    pod.metadata.ownerReferences?.some((ref) => ref.kind === "DaemonSet" && ref.controller) ?? false
  );
}
