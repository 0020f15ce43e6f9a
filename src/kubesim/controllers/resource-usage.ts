import { field, type KubeObject } from "../api";

/** Parses a Kubernetes quantity ("100m", "1Gi", "2") into a plain number of base units. */
export function parseQuantity(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return 0;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(value.trim());
  if (!match) return 0;
  const n = Number(match[1]);
  const suffixes: Record<string, number> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  return n * (suffixes[match[2] ?? ""] ?? 1);
}

export interface Resources {
  pods: number;
  cpu: number;
  memory: number;
}

/** The sum of container requests (NodeResourcesFit counts requests, not limits). */
export function podRequests(pod: KubeObject): Resources {
  const containers = (field(pod, "spec", "containers") ?? []) as {
    resources?: { requests?: Record<string, unknown> };
  }[];
  const total: Resources = { pods: 1, cpu: 0, memory: 0 };
  for (const c of containers) {
    total.cpu += parseQuantity(c.resources?.requests?.cpu);
    total.memory += parseQuantity(c.resources?.requests?.memory);
  }
  return total;
}

export function allocatable(node: KubeObject): Resources {
  const a = (field(node, "status", "allocatable") ?? {}) as Record<string, unknown>;
  return {
    pods: a.pods === undefined ? 110 : parseQuantity(a.pods),
    cpu: a.cpu === undefined ? Number.POSITIVE_INFINITY : parseQuantity(a.cpu),
    memory: a.memory === undefined ? Number.POSITIVE_INFINITY : parseQuantity(a.memory),
  };
}

export function fits(used: Resources, request: Resources, capacity: Resources): boolean {
  return (
    used.pods + request.pods <= capacity.pods &&
    used.cpu + request.cpu <= capacity.cpu + 1e-9 &&
    used.memory + request.memory <= capacity.memory
  );
}

export function add(a: Resources, b: Resources): Resources {
  return { pods: a.pods + b.pods, cpu: a.cpu + b.cpu, memory: a.memory + b.memory };
}
