import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { KeelsonError } from "../errors";
import { parseMountinfo } from "./parse/parse-mountinfo";

/** Where the cgroup hierarchies are mounted: v2 (unified) and, on hybrid hosts, the v1 ones. */
export function cgroupMounts(mountinfo = readFileSync("/proc/self/mountinfo", "utf8")): {
  v2: string | undefined;
  v1: string[];
} {
  const mounts = parseMountinfo(mountinfo);
  return {
    v2: mounts.find((m) => m.filesystem === "cgroup2")?.target,
    v1: mounts.filter((m) => m.filesystem === "cgroup").map((m) => m.target),
  };
}

/**
 * One cgroup v2 subtree, used to hold everything that belongs to something
 * (a node, a boot of its agent) so that it can be killed as a whole: every
 * process forked inside stays inside, whoever reparents it, and container
 * runtimes place their containers in v2 too (runc does on hybrid hosts).
 */
export class Cgroup {
  /** `path` is the cgroup's path inside the hierarchy, such as "/keelson/0123abcd". */
  constructor(
    readonly path: string,
    private readonly mounts = cgroupMounts(),
  ) {
    if (!path.startsWith("/") || path.split("/").includes(".."))
      throw new KeelsonError(
        "invalidArgument",
        `cgroup path "${path}" must be absolute, without ".."`,
      );
  }

  /** The directory in the v2 hierarchy, or undefined on a host without one. */
  get dir(): string | undefined {
    return this.mounts.v2 && join(this.mounts.v2, this.path);
  }

  child(name: string): Cgroup {
    return new Cgroup(join(this.path, name), this.mounts);
  }

  /** Creates it (and its parents); throws with the reason where cgroups cannot be written. */
  create(): void {
    const dir = this.requireDir();
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new KeelsonError(
        "failedPrecondition",
        `cannot create cgroup ${dir}: ${String(error)}`,
        "cgroups need root",
      );
    }
  }

  exists(): boolean {
    const dir = this.dir;
    return dir !== undefined && existsSync(dir);
  }

  /** Moves a process (0: the caller) into this cgroup; its future children start here. */
  add(pid = 0): void {
    writeFileSync(join(this.requireDir(), "cgroup.procs"), String(pid));
  }

  /** Every process in the subtree. */
  pids(): number[] {
    const dir = this.dir;
    return dir && existsSync(dir) ? subtreePids(dir) : [];
  }

  /**
   * Kills every process in the subtree at once (cgroup.kill, Linux 5.14;
   * SIGKILL one by one before that) and waits until it is empty.
   */
  async kill(timeoutMs = 10_000): Promise<void> {
    const dir = this.dir;
    if (!dir || !existsSync(dir)) return;
    const killFile = join(dir, "cgroup.kill");
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = subtreePids(dir);
      if (left.length === 0) return;
      if (existsSync(killFile)) writeFileSync(killFile, "1");
      else for (const pid of left) signal(pid);
      if (Date.now() > deadline)
        throw new KeelsonError(
          "deadlineExceeded",
          `cgroup ${this.path} still holds ${left.join(", ")} after SIGKILL`,
          "a process stuck in the kernel (state D) cannot be killed; see ps -o stat",
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Removes the subtree's directories, deepest first, in v2 and in any v1 hierarchy. */
  remove(): void {
    for (const mount of [this.mounts.v2, ...this.mounts.v1]) {
      if (mount) removeTree(join(mount, this.path));
    }
  }

  private requireDir(): string {
    const dir = this.dir;
    if (!dir) throw new KeelsonError("failedPrecondition", "this host has no cgroup v2 hierarchy");
    return dir;
  }
}

function subtreePids(dir: string): number[] {
  const pids: number[] = [];
  const visit = (at: string) => {
    let text = "";
    try {
      text = readFileSync(join(at, "cgroup.procs"), "utf8");
    } catch {
      return; // Removed meanwhile.
    }
    for (const line of text.split("\n")) if (line) pids.push(Number(line));
    for (const entry of readdirSync(at, { withFileTypes: true }))
      if (entry.isDirectory()) visit(join(at, entry.name));
  };
  visit(dir);
  return pids;
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isDirectory()) removeTree(join(dir, entry.name));
  try {
    rmdirSync(dir);
  } catch {
    // Still populated (a v1 hierarchy the kill does not reach) or already gone.
  }
}

function signal(pid: number): void {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // Gone already.
  }
}
