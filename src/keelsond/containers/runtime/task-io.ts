import { join } from "node:path";

/**
 * Where a container's output goes. containerd has no logs API, so the agent
 * picks the file when it creates the task. The runc shim (runtime v2) takes a
 * `file://` URI for stdout and then appends both stdout and stderr to that one
 * file itself, so logs keep flowing while the agent or containerd restarts.
 */
export function containerLogPath(logsDir: string, namespace: string, id: string): string {
  return join(logsDir, namespace, `${id}.log`);
}

export function fileUri(path: string): string {
  return new URL(`file://${path}`).href;
}
