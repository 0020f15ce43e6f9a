import { fromBinary } from "@bufbuild/protobuf";
import { KeelsonError } from "../../../machinery/errors";
import type { Containerd } from "../containerd/containerd";
import { MetricsSchema as V1Metrics } from "../containerd/gen/github.com/containerd/cgroups/stats/v1/metrics_pb";
import { MetricsSchema as V2Metrics } from "../containerd/gen/github.com/containerd/cgroups/v2/stats/metrics_pb";

export interface TaskStats {
  id: string;
  /** CPU time used since the task started, all CPUs together. */
  cpuUsageNs: bigint;
  /** Memory in use now, page cache included (what the cgroup is charged). */
  memoryUsageBytes: bigint;
  /** Number of processes (pids cgroup). */
  pids: bigint;
  timestamp?: Date;
}

/**
 * The cgroup statistics of a running task. containerd hands them over as an
 * Any whose type depends on the host's cgroup version; both are decoded.
 */
export async function taskStats(cd: Containerd, namespace: string, id: string): Promise<TaskStats> {
  const response = await cd.call(
    `metrics of task ${id}`,
    (s, o) => s.tasks.metrics({ filters: [`id==${id}`] }, o),
    { namespace },
  );
  const metric = response.metrics.find((m) => m.id === id);
  if (!metric?.data)
    throw new KeelsonError("notFound", `no running task "${id}" in namespace "${namespace}"`);
  const timestamp = metric.timestamp
    ? new Date(Number(metric.timestamp.seconds) * 1000)
    : undefined;
  return { id, timestamp, ...decodeMetrics(metric.data.typeUrl, metric.data.value) };
}

export function decodeMetrics(typeUrl: string, value: Uint8Array) {
  const type = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
  if (type === "io.containerd.cgroups.v1.Metrics") {
    const m = fromBinary(V1Metrics, value);
    return {
      cpuUsageNs: m.cpu?.usage?.total ?? 0n,
      memoryUsageBytes: m.memory?.usage?.usage ?? 0n,
      pids: m.pids?.current ?? 0n,
    };
  }
  if (type === "io.containerd.cgroups.v2.Metrics") {
    const m = fromBinary(V2Metrics, value);
    return {
      cpuUsageNs: (m.cpu?.usageUsec ?? 0n) * 1000n,
      memoryUsageBytes: m.memory?.usage ?? 0n,
      pids: m.pids?.current ?? 0n,
    };
  }
  throw new KeelsonError("unimplemented", `task metrics of type ${typeUrl} are not understood`);
}
