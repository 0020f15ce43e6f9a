import { field, type KubeObject } from "../api";
import {
  isNodeReady,
  type Taint,
  taintsOf,
  tolerates,
  tolerationsOf,
} from "../resources/pod-helpers";

interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

function requirementHolds(req: NodeSelectorRequirement, actual: string | undefined): boolean {
  const values = req.values ?? [];
  switch (req.operator) {
    case "In":
      return actual !== undefined && values.includes(actual);
    case "NotIn":
      return actual === undefined || !values.includes(actual);
    case "Exists":
      return actual !== undefined;
    case "DoesNotExist":
      return actual === undefined;
    case "Gt":
      return actual !== undefined && Number(actual) > Number(values[0]);
    case "Lt":
      return actual !== undefined && Number(actual) < Number(values[0]);
    default:
      return false;
  }
}

function termHolds(term: NodeSelectorTerm, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return (
    exprs.every((r) => requirementHolds(r, labels[r.key])) &&
    fields.every((r) =>
      requirementHolds(r, r.key === "metadata.name" ? node.metadata.name : undefined),
    )
  );
}

/** The pod's required node-affinity terms (empty when it has none). */
export function nodeSelectorTerms(pod: KubeObject): NodeSelectorTerm[] {
  const terms = field(
    pod,
    "spec",
    "affinity",
    "nodeAffinity",
    "requiredDuringSchedulingIgnoredDuringExecution",
    "nodeSelectorTerms",
  );
  return Array.isArray(terms) ? (terms as NodeSelectorTerm[]) : [];
}

/** nodeSelector and required node affinity (NodeAffinity filter plugin). */
export function matchesNodeSelection(pod: KubeObject, node: KubeObject): boolean {
  const selector = (field(pod, "spec", "nodeSelector") ?? {}) as Record<string, string>;
  const labels = node.metadata.labels ?? {};
  if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) return false;
  const terms = nodeSelectorTerms(pod);
  if (terms.length === 0) return true;
  return terms.some((t) => termHolds(t, node));
}

/**
 * Taints the pod must tolerate. spec.unschedulable counts as the
 * node.kubernetes.io/unschedulable:NoSchedule taint (NodeUnschedulable plugin).
 */
export function blockingTaints(node: KubeObject): Taint[] {
  const taints = taintsOf(node).filter(
    (t) => t.effect === "NoSchedule" || t.effect === "NoExecute",
  );
  if (field(node, "spec", "unschedulable") === true) {
    taints.push({ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" });
  }
  return taints;
}

export function toleratesNode(pod: KubeObject, node: KubeObject): boolean {
  const tolerations = tolerationsOf(pod);
  return blockingTaints(node).every((t) => tolerates(tolerations, t));
}

/** Every filter but resources: readiness, selection and taints. */
export function podFitsNode(pod: KubeObject, node: KubeObject): boolean {
  return (
    !node.metadata.deletionTimestamp &&
    isNodeReady(node) &&
    matchesNodeSelection(pod, node) &&
    toleratesNode(pod, node)
  );
}
