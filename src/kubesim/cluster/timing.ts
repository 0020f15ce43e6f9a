/**
 * Every duration the simulated cluster waits for. Defaults follow the
 * Kubernetes defaults; `scale` multiplies all of them so tests can run a
 * reboot cycle in a fraction of a second.
 */
export interface Timing {
  /** Kubelet node-status and lease renewal interval (kubelet default 10 s). */
  heartbeatMs: number;
  /** Node lifecycle controller: how long without a heartbeat before NotReady (node-monitor-grace-period, 40 s). */
  nodeMonitorGraceMs: number;
  /** Node lifecycle controller: how often it checks (node-monitor-period, 5 s). */
  nodeMonitorPeriodMs: number;
  /** From bound to Running (image pull and container start). */
  podStartMs: number;
  /** From Running to Ready (readiness probe passing). */
  podReadyMs: number;
  /** How long containers take to exit once asked; capped by the pod's grace period. */
  podStopMs: number;
  /** Watch bookmark interval (the apiserver sends one about every minute). */
  bookmarkMs: number;
  /** Interval between simulated log lines. */
  logLineMs: number;
  /** PDB controller: how long an evicted pod stays in disruptedPods (DeletionTimeout, 2 min). */
  disruptedPodTimeoutMs: number;
  /** The factor applied; pods' tolerationSeconds are scaled by it too. */
  scale: number;
}

export const defaultTiming: Timing = {
  heartbeatMs: 10_000,
  nodeMonitorGraceMs: 40_000,
  nodeMonitorPeriodMs: 5_000,
  podStartMs: 2_000,
  podReadyMs: 1_000,
  podStopMs: 1_000,
  bookmarkMs: 60_000,
  logLineMs: 5_000,
  disruptedPodTimeoutMs: 120_000,
  scale: 1,
};

/** The shortest silence that makes a Node NotReady, whatever the scale (overrides aside). */
export const minNodeMonitorGraceMs = 5000;

export function scaleTiming(scale: number, overrides: Partial<Timing> = {}): Timing {
  const scaled = Object.fromEntries(
    Object.entries(defaultTiming).map(([key, ms]) => [key, Math.max(1, Math.round(ms * scale))]),
  ) as unknown as Timing;
  // A kubelet process starved of CPU for a moment is not a scaled quantity: below a few
  // seconds, silent-node detection measured the machine's load and made Nodes flap NotReady.
  scaled.nodeMonitorGraceMs = Math.min(
    defaultTiming.nodeMonitorGraceMs,
    Math.max(scaled.nodeMonitorGraceMs, minNodeMonitorGraceMs),
  );
  return { ...scaled, ...overrides, scale };
}
