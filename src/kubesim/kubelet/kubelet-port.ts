import type { KubeObject } from "../api";

export type PodEventType = "ADDED" | "MODIFIED" | "DELETED";

/**
 * What a simulated kubelet needs from the API. Two implementations: over
 * HTTPS for kubelets in node agents, and straight on the registry for the
 * virtual fleet, so both run the same kubelet logic.
 */
export interface KubeletPort {
  /** Creates the Node, or adopts an existing one; returns its uid. */
  registerNode(node: KubeObject): Promise<string>;
  /** Merges `status` into the Node's status. */
  patchNodeStatus(name: string, status: Record<string, unknown>): Promise<void>;
  /** Creates or renews the node's Lease in kube-node-lease. */
  renewLease(lease: KubeObject): Promise<void>;
  /** Replaces a pod's status, if the pod with this uid still exists. */
  putPodStatus(pod: KubeObject, status: Record<string, unknown>): Promise<void>;
  /** Final deletion once containers are gone (grace period 0, uid precondition). */
  deletePod(pod: KubeObject): Promise<void>;
  /** Feeds every pod bound to the node, now and as it changes; returns a stop function. */
  watchPods(nodeName: string, onPod: (type: PodEventType, pod: KubeObject) => void): () => void;
}
