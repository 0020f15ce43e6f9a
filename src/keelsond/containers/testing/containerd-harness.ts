import { existsSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { missingCommandsReason, requiredCommands } from "../../../../scripts/system-packages.mjs";
import { unmountUnder } from "../../../machinery/linux/unmount-under";
import { LogWriter } from "../../supervisor";
import type { Containerd } from "../containerd/containerd";
import { listNamespaces } from "../containerd/namespaces";
import type { ContainerdPaths } from "../daemon/containerd-paths";
import { ContainerdRunner } from "../daemon/containerd-runner";
import { containerdService } from "../daemon/containerd-service";
import { buildImage, type FileTree } from "../image-builder";
import type { OciImage } from "../oci";
import {
  containerLogPath,
  createContainer,
  listContainers,
  removeContainer,
  startTask,
  waitTask,
} from "../runtime";
import { killStrays, strayPids } from "./strays";

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
  paths: ContainerdPaths;
  client: Containerd;
  /** containerd's own log, for failures. */
  log: () => string;
  /** Kills containerd (SIGKILL) — its shims and containers live on. */
  kill: () => Promise<void>;
  /** Starts containerd again on the same state and waits until it answers. */
  restart: () => Promise<void>;
  close: () => Promise<void>;
}

/** A containerd of its own on a socket in a fresh temp dir, started directly (not supervised). */
export async function startContainerd(): Promise<Harness> {
  const dir = mkdtempSync("/tmp/keelson-ctd-");
  const service = containerdService({ stateDir: dir });
  const logPath = `${dir}/containerd.log`;
  const log = new LogWriter(logPath);
  let runner = new ContainerdRunner(service.paths);
  const up = async () => {
    runner = new ContainerdRunner(service.paths);
    await runner.start(log);
    await until(() =>
      service.client.version().then(
        () => true,
        () => false,
      ),
    );
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
      await cleanUpNode(dir, service.paths);
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

/**
 * Leaves nothing of a test node behind: stray shims and container processes,
 * overlay mounts, the cgroups runc made for it (runc removes a container's
 * own cgroup, not the parents), and its state dir.
 */
export async function cleanUpNode(dir: string, paths: ContainerdPaths): Promise<void> {
  killStrays(paths.socket, paths.cgroupParent);
  await until(() => strayPids(paths.socket, paths.cgroupParent).length === 0);
  unmountUnder(dir);
  for (const hierarchy of readdirSync("/sys/fs/cgroup")) {
    removeCgroupTree(`/sys/fs/cgroup/${hierarchy}/${paths.cgroupParent}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const child of readdirSync(dir, { withFileTypes: true })) {
    if (child.isDirectory()) removeCgroupTree(`${dir}/${child.name}`);
  }
  rmdirSync(dir);
}

export async function until(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await sleep(50);
  }
}
