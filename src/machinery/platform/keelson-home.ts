import { homedir } from "node:os";
import { join } from "node:path";

/** `$KEELSON_HOME`, else `~/.keelson`: local clusters, the default client config and keelctl's caches live here. */
export function keelsonHome(): string {
  return process.env.KEELSON_HOME || join(homedir(), ".keelson");
}

export function clusterDir(name: string): string {
  return join(keelsonHome(), "clusters", name);
}
