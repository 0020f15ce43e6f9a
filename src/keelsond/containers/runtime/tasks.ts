import { constants } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { KeelsonError } from "../../../machinery/errors";
import type { Containerd } from "../containerd/containerd";
import { unless } from "../containerd/error-checks";
import { snapshotter } from "../images";
import { fileUri } from "./task-io";

/** Wait is re-issued after this long, so even waiting has a deadline on every call. */
const waitSliceMs = 30_000;
/** Creating a task starts a shim and runc; slower than a metadata call. */
const createDeadlineMs = 30_000;

/**
 * Creates and starts the container's task with its output appended to
 * `logPath`, and returns the pid of its process.
 */
export async function startTask(
  cd: Containerd,
  namespace: string,
  id: string,
  logPath: string,
): Promise<number> {
  const context = { namespace, deadlineMs: createDeadlineMs };
  const mounts = await cd.call(
    `mounts of container ${id}`,
    (s, o) => s.snapshots.mounts({ snapshotter, key: id }, o),
    context,
  );
  const uri = fileUri(logPath);
  await cd.call(
    `create task ${id}`,
    (s, o) =>
      s.tasks.create({ containerId: id, rootfs: mounts.mounts, stdout: uri, stderr: uri }, o),
    context,
  );
  try {
    const started = await cd.call(
      `start task ${id}`,
      (s, o) => s.tasks.start({ containerId: id }, o),
      context,
    );
    return started.pid;
  } catch (error) {
    await deleteTask(cd, namespace, id).catch(() => {});
    throw error;
  }
}

export async function killTask(
  cd: Containerd,
  namespace: string,
  id: string,
  signal: NodeJS.Signals = "SIGTERM",
): Promise<void> {
  const number = constants.signals[signal];
  await cd.call(
    `kill task ${id}`,
    (s, o) => s.tasks.kill({ containerId: id, signal: number, all: true }, o),
    { namespace },
  );
}

/**
 * The task's exit status once it ends. Rides out containerd restarts: the
 * shim keeps the task and its status, so waiting resumes when containerd is back.
 */
export async function waitTask(
  cd: Containerd,
  namespace: string,
  id: string,
  signal?: AbortSignal,
): Promise<number> {
  for (;;) {
    signal?.throwIfAborted();
    try {
      const response = await cd.call(
        `wait task ${id}`,
        (s, o) => s.tasks.wait({ containerId: id }, o),
        { namespace, deadlineMs: waitSliceMs, signal },
      );
      return response.exitStatus;
    } catch (error) {
      const code = error instanceof KeelsonError ? error.code : "internal";
      if (code !== "deadlineExceeded" && code !== "unavailable") throw error;
      if (code === "unavailable") await sleep(500, undefined, { signal });
    }
  }
}

/** Deletes a stopped task (the shim goes away and unmounts the root); its exit status, or undefined if there was none. */
export function deleteTask(
  cd: Containerd,
  namespace: string,
  id: string,
): Promise<number | undefined> {
  const remove = cd.call(`delete task ${id}`, (s, o) => s.tasks.delete({ containerId: id }, o), {
    namespace,
    deadlineMs: createDeadlineMs,
  });
  return unless(
    "notFound",
    remove.then((response) => response.exitStatus),
  );
}
