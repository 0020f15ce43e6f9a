import { statfsSync } from "node:fs";

/** Below this, a filesystem counts as full: etcd's write-ahead log alone takes 64 MiB at once. */
export const fullBelowBytes = 64 * 2 ** 20;

/**
 * "EPHEMERAL (/var) is full: …" when the filesystem holding PATH has less
 * than `fullBelowBytes` left for its users, else undefined.
 */
export function spaceProblem(label: string, path: string): string | undefined {
  let stats: ReturnType<typeof statfsSync>;
  try {
    stats = statfsSync(path);
  } catch (error) {
    return `${label} (${path}) cannot be read: ${(error as Error).message}`;
  }
  const free = stats.bavail * stats.bsize;
  if (free >= fullBelowBytes) return undefined;
  const mib = (bytes: number) => `${Math.floor(bytes / 2 ** 20)} MiB`;
  return `${label} (${path}) is full: ${mib(free)} left of ${mib(stats.blocks * stats.bsize)}; free space on it (etcd defragment, fewer logs) or give the node a larger disk`;
}
