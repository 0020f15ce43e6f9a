import { KeelsonError } from "../../../machinery/errors";
import type { Containerd } from "../containerd/containerd";
import { acrossRestart } from "./across-restart";
import { deleteContainer, removeSnapshot } from "./containers";
import { deleteTask, killTask, waitTask } from "./tasks";

/**
 * Removes a container whatever its state: a running task is killed
 * (SIGKILL) and deleted first, then the container and its snapshot.
 * notFound if there is no such container; its snapshot is removed all the
 * same, as containerd may have stopped between deleting the two, and a
 * snapshot left under the id fails every later create with alreadyExists.
 */
export async function removeContainer(
  cd: Containerd,
  namespace: string,
  id: string,
): Promise<void> {
  try {
    await cd.call(`get container ${id}`, (s, o) => s.containers.get({ id }, o), { namespace });
  } catch (error) {
    if (KeelsonError.from(error).code === "notFound") await removeSnapshot(cd, namespace, id);
    throw error;
  }
  await stopTaskNow(cd, namespace, id);
  await deleteContainer(cd, namespace, id);
}

/**
 * Kills, reaps and deletes the container's task if it has one. A containerd
 * being restarted is waited for (up to 30 s): a task it never signalled
 * would never exit, and waiting for its exit would only time out.
 */
export async function stopTaskNow(cd: Containerd, namespace: string, id: string): Promise<void> {
  const deadline = AbortSignal.timeout(30_000);
  const kill = () => killTask(cd, namespace, id, "SIGKILL");
  // A task that already exited (or was never there) refuses the kill; deleting it still works.
  const killed = await acrossRestart(kill, deadline).then(
    () => true,
    () => false,
  );
  if (killed) await waitTask(cd, namespace, id, deadline).catch(() => {});
  await acrossRestart(() => deleteTask(cd, namespace, id), deadline);
}
