import type { ServiceSpec } from "../../supervisor";
import { Containerd } from "../containerd/containerd";
import type { ContainerdConfigOptions } from "./containerd-config";
import { type ContainerdPaths, containerdPaths } from "./containerd-paths";
import { ContainerdRunner, UnavailableRunner } from "./containerd-runner";
import { type RuntimeAvailability, runtimeAvailability } from "./runtime-availability";

export interface ContainerdServiceOptions extends ContainerdConfigOptions {
  /** The node's state dir; containerd's root, state and socket go under it. */
  stateDir: string;
  /** The node's cgroup, where the platform gives one; containers go below it. */
  nodeCgroup?: string;
  /** Service id; "containerd" by default. */
  id?: string;
  /** Deadline of every call the client makes. */
  deadlineMs?: number;
  /** For tests: what runtimeAvailability() would say. */
  availability?: RuntimeAvailability;
}

export interface ContainerdService {
  spec: ServiceSpec;
  /** The client for this containerd; calls fail with `unavailable` while it is down. */
  client: Containerd;
  paths: ContainerdPaths;
  availability: RuntimeAvailability;
}

/**
 * containerd as one of the node's supervised services: restarted whenever it
 * exits, healthy when it answers Version over its socket. Without root it
 * fails once with the reason instead of restarting in a loop.
 */
export function containerdService(options: ContainerdServiceOptions): ContainerdService {
  const paths = containerdPaths(options.stateDir, options.nodeCgroup);
  const availability = options.availability ?? runtimeAvailability();
  const client = new Containerd({
    socket: paths.socket,
    deadlineMs: options.deadlineMs,
    cgroupParent: paths.cgroupParent,
    runcRoot: paths.runcRoot,
  });
  const spec: ServiceSpec = {
    id: options.id ?? "containerd",
    restart: availability.available ? "forever" : "once",
    stopGraceMs: 10_000,
    runner: () =>
      availability.available
        ? new ContainerdRunner(paths, options)
        : new UnavailableRunner(availability.reason),
    health: {
      intervalMs: 2000,
      timeoutMs: 2000,
      check: async (signal) => {
        await client.version({ signal, deadlineMs: 2000 });
      },
    },
  };
  return { spec, client, paths, availability };
}
