import { childObject, field, type JsonObject, type KubeObject, type StatusCause } from "../../api";
import { ageColumn, containerList, nameColumn } from "../columns";
import { labelError, metaErrors, requiredValue } from "../meta-validation";
import type { ResourceType } from "../resource-type";

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string } };
}

function statuses(pod: KubeObject): ContainerStatus[] {
  const list = field(pod, "status", "containerStatuses");
  return Array.isArray(list) ? (list as ContainerStatus[]) : [];
}

function readyCell(pod: KubeObject): string {
  const total = containerList(pod, "spec", "containers").length;
  return `${statuses(pod).filter((s) => s.ready).length}/${total}`;
}

/** The STATUS column as kubectl's pod printer computes it. */
export function podStatusText(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return "Terminating";
  const reason = field(pod, "status", "reason") as string | undefined;
  if (reason) return reason;
  for (const s of statuses(pod)) {
    const why = s.state?.waiting?.reason ?? s.state?.terminated?.reason;
    if (why) return why;
  }
  return (field(pod, "status", "phase") as string | undefined) ?? "Pending";
}

function restarts(pod: KubeObject): number {
  return statuses(pod).reduce((sum, s) => sum + (s.restartCount ?? 0), 0);
}

/**
 * Admission defaults a real API server applies, including the two 300-second
 * tolerations of the DefaultTolerationSeconds plugin.
 */
export function defaultPodSpec(spec: JsonObject): void {
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.schedulerName ??= "default-scheduler";
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  spec.priority ??= 0;
  const containers = Array.isArray(spec.containers) ? (spec.containers as JsonObject[]) : [];
  for (const c of containers) {
    c.imagePullPolicy ??=
      typeof c.image === "string" && c.image.endsWith(":latest") ? "Always" : "IfNotPresent";
    c.terminationMessagePath ??= "/dev/termination-log";
    c.terminationMessagePolicy ??= "File";
    c.resources ??= {};
  }
}

/** Writes only when a toleration is missing: a status write shares the stored spec. */
function defaultTolerations(spec: JsonObject): void {
  const existing = Array.isArray(spec.tolerations) ? (spec.tolerations as JsonObject[]) : [];
  const missing = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"].filter(
    (key) => !existing.some((t) => t.key === key || (t.operator === "Exists" && !t.key)),
  );
  if (missing.length === 0 && Array.isArray(spec.tolerations)) return;
  spec.tolerations = [
    ...existing,
    ...missing.map((key) => ({
      key,
      operator: "Exists",
      effect: "NoExecute",
      tolerationSeconds: 300,
    })),
  ];
}

export function podSpecErrors(spec: unknown, path: string): StatusCause[] {
  const containers = field(spec, "containers");
  if (!Array.isArray(containers) || containers.length === 0)
    return [requiredValue(`${path}.containers`)];
  const causes: StatusCause[] = [];
  containers.forEach((c: unknown, i) => {
    const name = field(c, "name");
    if (typeof name !== "string" || name === "")
      causes.push(requiredValue(`${path}.containers[${i}].name`));
    else {
      const bad = labelError(`${path}.containers[${i}].name`, name);
      if (bad) causes.push(bad);
    }
    if (typeof field(c, "image") !== "string")
      causes.push(requiredValue(`${path}.containers[${i}].image`));
  });
  return causes;
}

export const pods: ResourceType = {
  group: "",
  version: "v1",
  plural: "pods",
  returnsDeletedObject: true,
  singular: "pod",
  kind: "Pod",
  listKind: "PodList",
  namespaced: true,
  shortNames: ["po"],
  categories: ["all"],
  subresources: ["status", "eviction", "log", "binding"],
  fieldSelectors: [
    "spec.nodeName",
    "status.phase",
    "spec.restartPolicy",
    "spec.schedulerName",
    "status.podIP",
  ],
  columns: [
    nameColumn,
    { name: "Ready", type: "string", priority: 0, cell: readyCell },
    { name: "Status", type: "string", priority: 0, cell: podStatusText },
    { name: "Restarts", type: "string", priority: 0, cell: (p) => String(restarts(p)) },
    ageColumn,
    {
      name: "IP",
      type: "string",
      priority: 1,
      cell: (p) => (field(p, "status", "podIP") as string) ?? "<none>",
    },
    {
      name: "Node",
      type: "string",
      priority: 1,
      cell: (p) => (field(p, "spec", "nodeName") as string) ?? "<none>",
    },
    { name: "Nominated Node", type: "string", priority: 1, cell: () => "<none>" },
    { name: "Readiness Gates", type: "string", priority: 1, cell: () => "<none>" },
  ],
  defaults(obj) {
    const spec = childObject(obj as JsonObject, "spec") as JsonObject;
    defaultPodSpec(spec);
    defaultTolerations(spec);
    obj.status ??= { phase: "Pending", qosClass: "BestEffort" };
  },
  validate: (obj) => [...metaErrors(obj, "subdomain"), ...podSpecErrors(obj.spec, "spec")],
  gracePeriod(obj, requested) {
    // Pods that never reached a node, or have finished, go at once (pod strategy CheckGracefulDelete).
    if (!field(obj, "spec", "nodeName")) return 0;
    const phase = field(obj, "status", "phase");
    if (phase === "Succeeded" || phase === "Failed") return 0;
    return (
      requested ?? (field(obj, "spec", "terminationGracePeriodSeconds") as number | undefined) ?? 30
    );
  },
};
