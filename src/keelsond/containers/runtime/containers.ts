import { KeelsonError } from "../../../machinery/errors";
import type { Containerd } from "../containerd/containerd";
import { unless } from "../containerd/error-checks";
import { withLease } from "../containerd/lease";
import { requireNamespace } from "../containerd/namespaces";
import { getImage, snapshotter } from "../images";
import { type ProcessSpec, runtimeSpec } from "./runtime-spec";
import { type ContainerState, stateName } from "./task-status";

export interface ContainerSummary {
  id: string;
  image: string;
  /** The task's state; "stopped" when the container has no task. */
  state: ContainerState;
  /** 0 unless a task runs. */
  pid: number;
  createdAt?: Date;
  labels: Record<string, string>;
}

export interface CreateContainerOptions extends ProcessSpec {
  id: string;
  image: string;
  labels?: Record<string, string>;
}

const specType = "types.containerd.io/opencontainers/runtime-spec/1/Spec";
export const runtimeName = "io.containerd.runc.v2";

/** Containers of a namespace with their tasks' state and pid; notFound for an unknown namespace. */
export async function listContainers(
  cd: Containerd,
  namespace: string,
): Promise<ContainerSummary[]> {
  await requireNamespace(cd, namespace);
  const context = { namespace };
  const [containers, tasks] = await Promise.all([
    cd.call("list containers", (s, o) => s.containers.list({}, o), context),
    cd.call("list tasks", (s, o) => s.tasks.list({}, o), context),
  ]);
  const byId = new Map(tasks.tasks.map((task) => [task.id, task]));
  return containers.containers
    .map((c) => {
      const task = byId.get(c.id);
      return {
        id: c.id,
        image: c.image,
        state: task ? stateName(task.status) : "stopped",
        pid: task?.pid ?? 0,
        createdAt: c.createdAt ? new Date(Number(c.createdAt.seconds) * 1000) : undefined,
        labels: c.labels,
      } satisfies ContainerSummary;
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Creates a container from an unpacked image: a writable overlayfs snapshot
 * on top of the image's layers (key = container id) and a container record
 * holding the runtime spec. Start it with startTask().
 */
export async function createContainer(
  cd: Containerd,
  namespace: string,
  options: CreateContainerOptions,
): Promise<void> {
  const image = await getImage(cd, { namespace }, options.image);
  const cgroup = `/${cd.options.cgroupParent ?? "keelson"}/${namespace}/${options.id}`;
  const spec = runtimeSpec(cgroup, options.id, image.config, options);
  if (spec.process.args.length === 0) {
    throw new KeelsonError("invalidArgument", `image ${image.name} has no entrypoint; give args`);
  }
  await withLease(cd, { namespace }, async (context) => {
    await cd.call(
      `prepare snapshot for container ${options.id}`,
      (s, o) => s.snapshots.prepare({ snapshotter, key: options.id, parent: image.topChainId }, o),
      context,
    );
    const container = {
      id: options.id,
      image: image.name,
      labels: options.labels ?? {},
      runtime: { name: runtimeName, options: runcOptions(cd.options.runcRoot) },
      spec: { typeUrl: specType, value: Buffer.from(JSON.stringify(spec)) },
      snapshotter,
      snapshotKey: options.id,
    };
    await cd
      .call(
        `create container ${options.id}`,
        (s, o) => s.containers.create({ container }, o),
        context,
      )
      .catch(async (error: unknown) => {
        await removeSnapshot(cd, namespace, options.id);
        throw error;
      });
  });
}

/** Deletes a container record and its snapshot; its task must be deleted first. */
export async function deleteContainer(
  cd: Containerd,
  namespace: string,
  id: string,
): Promise<void> {
  await cd.call(`delete container ${id}`, (s, o) => s.containers.delete({ id }, o), { namespace });
  await removeSnapshot(cd, namespace, id);
}

/** Removes a container's writable snapshot; one already gone is fine. */
export async function removeSnapshot(
  cd: Containerd,
  namespace: string,
  key: string,
): Promise<void> {
  const remove = cd.call(
    `remove snapshot ${key}`,
    (s, o) => s.snapshots.remove({ snapshotter, key }, o),
    { namespace },
  );
  await unless("notFound", remove);
}

/**
 * The runc shim's options (containerd.runc.v1.Options) with only `root`
 * (field 7, a string) set, encoded by hand: one field is not worth vendoring
 * another proto for.
 */
function runcOptions(root: string | undefined) {
  if (!root) return undefined;
  const value = Buffer.from(root);
  const length: number[] = [];
  for (let n = value.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return {
    typeUrl: "containerd.runc.v1.Options",
    value: Buffer.concat([Buffer.from([(7 << 3) | 2, ...length]), value]),
  };
}
