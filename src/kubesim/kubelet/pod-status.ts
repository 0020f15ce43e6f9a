import { field, type KubeObject } from "../api";

const stamp = (ms = Date.now()) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

interface Container {
  name: string;
  image?: string;
}

function containersOf(pod: KubeObject): Container[] {
  return (field(pod, "spec", "containers") ?? []) as Container[];
}

function condition(type: string, ok: boolean, since: string) {
  return { type, status: ok ? "True" : "False", lastProbeTime: null, lastTransitionTime: since };
}

export interface PodRuntime {
  hostIP: string;
  podIP: string;
  /** When the sandbox came up; containers started at this time. */
  startedAt: number;
  ready: boolean;
  restartCount: number;
}

/** The status a kubelet reports for a pod whose containers are being created. */
export function creatingStatus(pod: KubeObject, hostIP: string): Record<string, unknown> {
  const now = stamp();
  return {
    phase: "Pending",
    hostIP,
    hostIPs: [{ ip: hostIP }],
    startTime: now,
    qosClass: field(pod, "status", "qosClass") ?? "BestEffort",
    conditions: [
      condition("PodReadyToStartContainers", false, now),
      condition("Initialized", true, now),
      condition("Ready", false, now),
      condition("ContainersReady", false, now),
      condition("PodScheduled", true, now),
    ],
    containerStatuses: containersOf(pod).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: "",
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: "ContainerCreating" } },
    })),
  };
}

/** The status of a pod whose containers run, ready or not yet. */
export function runningStatus(pod: KubeObject, rt: PodRuntime): Record<string, unknown> {
  const since = stamp(rt.startedAt);
  return {
    phase: "Running",
    hostIP: rt.hostIP,
    hostIPs: [{ ip: rt.hostIP }],
    podIP: rt.podIP,
    podIPs: [{ ip: rt.podIP }],
    startTime: (field(pod, "status", "startTime") as string | undefined) ?? since,
    qosClass: field(pod, "status", "qosClass") ?? "BestEffort",
    conditions: [
      condition("PodReadyToStartContainers", true, since),
      condition("Initialized", true, since),
      condition("Ready", rt.ready, stamp()),
      condition("ContainersReady", rt.ready, stamp()),
      condition("PodScheduled", true, since),
    ],
    containerStatuses: containersOf(pod).map((c, i) => ({
      name: c.name,
      image: c.image,
      imageID: `${c.image ?? "image"}@sha256:${"0".repeat(64)}`,
      containerID: `containerd://${(pod.metadata.uid ?? "").replace(/-/g, "")}${i}`,
      ready: rt.ready,
      started: true,
      restartCount: rt.restartCount,
      state: { running: { startedAt: since } },
    })),
  };
}

export function restartCountOf(pod: KubeObject): number {
  const statuses = field(pod, "status", "containerStatuses");
  return Array.isArray(statuses) ? ((statuses[0]?.restartCount as number | undefined) ?? 0) : 0;
}
