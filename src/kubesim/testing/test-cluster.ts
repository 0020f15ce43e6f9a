import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Kubesim, type KubesimOptions, startKubesim } from "../cluster/kubesim";

export interface TestCluster {
  sim: Kubesim;
  dir: string;
  kubectl(...args: string[]): Promise<KubectlResult>;
  stop(): Promise<void>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl against a kubeconfig, never throwing: tests assert on the result. */
export function runKubectl(
  kubeconfig: string,
  args: string[],
  input?: string,
  binary = "kubectl",
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      binary,
      ["--kubeconfig", kubeconfig, ...args],
      { timeout: 90_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A kubesim on a loopback port with timings scaled down, in a temporary directory. */
export async function startTestCluster(
  options: Partial<KubesimOptions> = {},
): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), "kubesim-test-"));
  const sim = await startKubesim({
    dir,
    address: "127.0.0.1",
    port: 0,
    timeScale: 0.02,
    ...options,
  });
  await sim.fleet?.ready;
  return {
    sim,
    dir,
    kubectl: (...args) => runKubectl(sim.kubeconfigPath, args),
    stop: async () => {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
