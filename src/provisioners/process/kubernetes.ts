import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { KeelsonError } from "../../machinery/errors";
import { distPath } from "../dist-path";

export interface LocalKubernetes {
  address: string;
  url: string;
  kubeconfig: string;
  pid: number;
}

/**
 * Starts kubesim, the Kubernetes API simulator, beside a local cluster's
 * nodes (no control-plane binaries exist on these machines). Its kubeconfig
 * works with kubectl and any client; its log is kubesim.log in the same folder.
 */
export async function startLocalKubernetes(
  clusterDir: string,
  address: string,
  timeScale: number,
  alsoAt: readonly string[] = [],
): Promise<LocalKubernetes> {
  const dir = join(clusterDir, "kubernetes");
  mkdirSync(dir, { recursive: true });
  const log = openSync(join(dir, "kubesim.log"), "a");
  const port = 6443;
  const child = spawn(
    process.execPath,
    [
      distPath("kubesim.mjs"),
      "serve",
      "--dir",
      dir,
      "--address",
      address,
      "--port",
      String(port),
      "--time-scale",
      String(timeScale),
      ...alsoAt.flatMap((a) => ["--also-at", a]),
    ],
    { detached: true, stdio: ["ignore", log, log] },
  );
  child.unref();
  const kubeconfig = join(dir, "kubeconfig");
  const deadline = Date.now() + 30_000;
  while (!existsSync(kubeconfig)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new KeelsonError(
        "unavailable",
        "kubesim did not start",
        `see ${join(dir, "kubesim.log")}`,
      );
    }
    await sleep(50);
  }
  return { address, url: `https://${address}:${port}`, kubeconfig, pid: child.pid ?? 0 };
}

/** Waits until every named Node reports Ready, as `kubectl wait --for=condition=Ready` would. */
export async function waitNodesReady(
  kubeconfig: string,
  names: readonly string[],
  timeoutMs: number,
): Promise<void> {
  const { KubeClient } = await import("../../machinery/kube");
  const { readKubeconfig } = await import("../../machinery/kube");
  const client = new KubeClient(await readKubeconfig(kubeconfig));
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      const list = (await client.call("GET", "/api/v1/nodes").catch(() => ({ items: [] }))) as {
        items: NodeObject[];
      };
      const ready = new Set(list.items.filter(isReady).map((n) => n.metadata.name));
      if (names.every((n) => ready.has(n))) return;
      await sleep(100);
    }
  } finally {
    client.close();
  }
  throw new KeelsonError(
    "deadlineExceeded",
    "not every node became Ready in Kubernetes",
    "see the kubelet service logs: keelctl logs kubelet",
  );
}

interface NodeObject {
  metadata: { name: string };
  status?: { conditions?: { type: string; status: string }[] };
}

function isReady(node: NodeObject): boolean {
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}
