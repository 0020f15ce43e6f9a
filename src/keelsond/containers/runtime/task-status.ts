import { constants } from "node:os";
import type { ExitStatus } from "../../supervisor/service-spec";
import { Status } from "../containerd/gen/github.com/containerd/containerd/api/types/task/task_pb";

export type ContainerState = "created" | "running" | "stopped" | "paused" | "pausing" | "unknown";

export function stateName(status: Status | undefined): ContainerState {
  switch (status) {
    case Status.CREATED:
      return "created";
    case Status.RUNNING:
      return "running";
    case Status.STOPPED:
      return "stopped";
    case Status.PAUSED:
      return "paused";
    case Status.PAUSING:
      return "pausing";
    default:
      return "unknown";
  }
}

const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/**
 * containerd reports a task killed by signal N as exit status 128+N, the way
 * shells do; the supervisor wants the signal by name.
 */
export function toExitStatus(exitStatus: number): ExitStatus {
  const signal = exitStatus > 128 ? signalNames.get(exitStatus - 128) : undefined;
  return signal ? { code: null, signal } : { code: exitStatus, signal: null };
}
