import { createHash } from "node:crypto";
import { join } from "node:path";
import { volatileDir } from "../../../machinery/platform/volatile-dir";

/** A Unix socket path must fit sun_path: 108 bytes including the terminating NUL. */
const maxSocketBytes = 107;
/** containerd also listens on `<grpc address>.ttrpc`, so that longer name must fit too. */
const ttrpcSuffix = ".ttrpc";

/**
 * Where one node's containerd keeps its data. Everything lives under the
 * node's state dir, so several local nodes on one machine never share a
 * containerd: images and logs persist, task state and the socket live in
 * the volatile part a reboot clears. The socket moves to
 * /run/keelson/<hash of the state dir> only when the state dir's own path
 * is too long for a Unix socket.
 */
export function containerdPaths(stateDir: string, nodeCgroup?: string) {
  const dir = join(stateDir, "containerd");
  const run = join(volatileDir(stateDir), "containerd");
  return {
    dir,
    config: join(dir, "config.toml"),
    root: join(dir, "root"),
    state: run,
    /** Task log files: the shims append each task's stdout and stderr here. */
    logs: join(dir, "logs"),
    socket: socketPath(run, stateDir),
    /**
     * The cgroup its containers go under: inside the node's own cgroup where
     * the platform gives one (so a power cycle ends them with everything
     * else), else one unique per state dir.
     */
    cgroupParent: nodeCgroup ? `${nodeCgroup}/containers` : `keelson-${shortHash(stateDir)}`,
    /** runc's state for this node's containers, never shared with another node. */
    runcRoot: join(run, "runc"),
  };
}

export type ContainerdPaths = ReturnType<typeof containerdPaths>;

function socketPath(dir: string, stateDir: string): string {
  const preferred = join(dir, "containerd.sock");
  if (Buffer.byteLength(preferred + ttrpcSuffix) <= maxSocketBytes) return preferred;
  return join("/run/keelson", shortHash(stateDir), "containerd.sock");
}

function shortHash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
