import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { missingCommandsReason, requiredCommands } from "../../../../scripts/system-packages.mjs";
import { buildImage, type FileTree } from "../../../machinery/image-builder";
import { Cgroup } from "../../../machinery/linux/cgroup";
import { unmountUnder } from "../../../machinery/linux/unmount-under";
import type { OciImage } from "../../../machinery/oci";
import { eventually } from "../../../testing/eventually";
import { LogWriter } from "../../supervisor";
import type { Containerd } from "../containerd/containerd";
import { listNamespaces } from "../containerd/namespaces";
import { ContainerdRunner } from "../daemon/containerd-runner";
import { containerdService } from "../daemon/containerd-service";
import {
  containerLogPath,
  createContainer,
  listContainers,
  removeContainer,
  startTask,
  waitTask,
} from "../runtime";

/** Why these tests cannot run here, or false when they can (installing what is missing). */
export function skipReason(): string | false {
  if (process.getuid?.() !== 0) return "containerd needs root; run the tests as root";
  const { containerd, runc, busybox } = requiredCommands;
  return missingCommandsReason({ containerd, runc, busybox }) ?? false;
}

/** A tiny image: static busybox, a few of its applets, and whatever `extra` adds. */
export function busyboxImage(
  name: string,
  cmd: string[],
  options: { gzip?: boolean; extra?: FileTree } = {},
): OciImage {
  return buildImage({
    name,
    gzip: options.gzip,
    layers: [
      {
        "bin/busybox": { type: "file", source: "/bin/busybox", mode: 0o755 },
        ...Object.fromEntries(
          ["sh", "sleep", "echo", "cat", "ls"].map((applet) => [
            `bin/${applet}`,
            { type: "symlink", target: "busybox" } as const,
          ]),
        ),
        tmp: { type: "dir", mode: 0o1777 },
        ...options.extra,
      },
    ],
    cmd,
  });
}

export interface Harness {
  dir: string;
  paths: ReturnType<typeof containerdService>["paths"];
  client: Containerd;
  /** containerd's own log, for failures. */
  log: () => string;
  /** Kills containerd (SIGKILL) — its shims and containers live on. */
  kill: () => Promise<void>;
  /** Starts containerd again on the same state and waits until it answers. */
  restart: () => Promise<void>;
  close: () => Promise<void>;
}

/**
 * A containerd of its own on a socket in a fresh temp dir, started directly
 * (not supervised), in a cgroup of its own with its containers below it, as
 * a node's would be: closing kills and removes that cgroup whole.
 */
export async function startContainerd(): Promise<Harness> {
  const dir = mkdtempSync("/tmp/keelson-ctd-");
  const cgroup = testCgroup(dir);
  const service = containerdService({ stateDir: dir, nodeCgroup: cgroup.path });
  const logPath = `${dir}/containerd.log`;
  const log = new LogWriter(logPath);
  let runner = new ContainerdRunner(service.paths);
  const up = async () => {
    runner = new ContainerdRunner(service.paths);
    await runner.start(log);
    // Before any container exists: the shims it starts are forked inside.
    cgroup.child("os").add(runner.pid());
    await eventually("containerd answering", () => service.client.version());
  };
  await up();
  return {
    dir,
    paths: service.paths,
    client: service.client,
    log: () => readFileSync(logPath, "utf8"),
    kill: async () => {
      process.kill(runner.pid(), "SIGKILL");
      await runner.wait();
    },
    restart: up,
    close: async () => {
      await removeEverything(service.client).catch(() => {});
      await runner.stop(5000);
      service.client.close();
      log.close();
      await cleanUpNode(dir, cgroup);
    },
  };
}

/** Runs a container of `image` to its end and removes it; its exit status. */
export async function runToEnd(
  h: Harness,
  namespace: string,
  id: string,
  image: string,
): Promise<number> {
  await createContainer(h.client, namespace, { id, image });
  await startTask(h.client, namespace, id, containerLogPath(h.paths.logs, namespace, id));
  const status = await waitTask(h.client, namespace, id);
  await removeContainer(h.client, namespace, id);
  return status;
}

/** Deletes every container (and task) in every namespace: nothing may outlive a test. */
export async function removeEverything(cd: Containerd): Promise<void> {
  for (const namespace of await listNamespaces(cd)) {
    for (const container of await listContainers(cd, namespace)) {
      await removeContainer(cd, namespace, container.id);
    }
  }
}

/** A test node's cgroup, created with the leaf its containerd goes into. */
export function testCgroup(dir: string): Cgroup {
  const cgroup = new Cgroup(
    `/keelson-test/${createHash("sha256").update(dir).digest("hex").slice(0, 16)}`,
  );
  cgroup.child("os").create();
  return cgroup;
}

/**
 * Leaves nothing of a test node behind: its cgroup (containerd, shims,
 * containers) killed and removed with what runc made in it, overlay mounts,
 * and its state dir.
 */
export async function cleanUpNode(dir: string, cgroup: Cgroup): Promise<void> {
  await cgroup.kill();
  cgroup.remove();
  unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
}
