import { KubeClient } from "../../machinery/kube";
import { type ClusterCredentials, readKubeconfig } from "../../machinery/kube/kubeconfig";
import { scaleTiming, type Timing } from "../cluster/timing";
import { httpsPort } from "./https-port";
import { syntheticAddress } from "./node-object";
import { SimKubelet } from "./sim-kubelet";

export interface SimulatedKubeletOptions {
  /** Either a kubeconfig written by kubesim, or the credentials themselves. */
  kubeconfigPath?: string;
  credentials?: ClusterCredentials;
  nodeName: string;
  labels?: Record<string, string>;
  taints?: { key: string; value?: string; effect: string }[];
  /** InternalIP to report; derived from the name when absent. */
  address?: string;
  capacity?: { cpu?: string; memory?: string; pods?: string };
  /** The version to report; kubesim's own when absent. */
  kubeletVersion?: string;
  /** Same meaning as kubesim's timeScale; use the same value on both sides. */
  timeScale?: number;
  timing?: Partial<Timing>;
  onError?: (error: unknown) => void;
}

export interface SimulatedKubelet {
  nodeName: string;
  /** Why the kubelet is unhealthy (its last heartbeat failed); undefined when healthy. */
  problem(): string | undefined;
  /** Goes silent, as on a reboot: the Node turns NotReady after the grace period. */
  stop(): void;
}

/**
 * A lean simulated kubelet talking to kubesim (or any API server) over
 * HTTPS with node:https only. Resolves once the Node is registered.
 */
export async function startSimulatedKubelet(
  options: SimulatedKubeletOptions,
): Promise<SimulatedKubelet> {
  const credentials =
    options.credentials ??
    (options.kubeconfigPath ? await readKubeconfig(options.kubeconfigPath) : undefined);
  if (!credentials) throw new Error("startSimulatedKubelet needs kubeconfigPath or credentials");
  const timing = scaleTiming(options.timeScale ?? 1, options.timing);
  const client = new KubeClient(credentials, "kubesim-kubelet");
  const kubelet = new SimKubelet(
    httpsPort(client, timing.heartbeatMs),
    {
      name: options.nodeName,
      address: options.address ?? syntheticAddress(options.nodeName),
      ...(options.labels ? { labels: options.labels } : {}),
      ...(options.taints ? { taints: options.taints } : {}),
      ...(options.capacity ? { capacity: options.capacity } : {}),
      ...(options.kubeletVersion ? { kubeletVersion: options.kubeletVersion } : {}),
    },
    timing,
    options.onError,
  );
  try {
    await kubelet.start();
  } catch (error) {
    kubelet.stop();
    client.close();
    throw error;
  }
  return {
    nodeName: options.nodeName,
    problem: () => kubelet.heartbeatError,
    stop() {
      kubelet.stop();
      client.close();
    },
  };
}
