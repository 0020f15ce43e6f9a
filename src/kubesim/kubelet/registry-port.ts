import type { KubeObject } from "../api";
import { podsOnNode } from "../controllers";
import { applyMergePatch } from "../patch";
import type { Registry } from "../registry";
import { nodes } from "../resources/core/node";
import { pods } from "../resources/core/pod";
import { leases } from "../resources/other/lease";
import { nodeNameOf } from "../resources/pod-helpers";
import { storageKey } from "../resources/resource-type";
import type { KubeletPort, PodEventType } from "./kubelet-port";

type PodHandler = (type: PodEventType, pod: KubeObject) => void;

/**
 * One store subscription for every in-process kubelet, dispatching pod
 * events by node name: a thousand kubelets must not each see every event.
 */
export class PodFeed {
  private readonly handlers = new Map<string, PodHandler>();
  private readonly unsubscribe: () => void;

  constructor(private readonly registry: Registry) {
    const key = storageKey(pods);
    this.unsubscribe = registry.store.subscribe((event) => {
      if (event.resource !== key) return;
      const node = nodeNameOf(event.entry.obj);
      const handler = node ? this.handlers.get(node) : undefined;
      if (!handler) return;
      // Deferred so kubelet writes never run inside another write's notification.
      queueMicrotask(() => handler(event.type, event.entry.obj));
    });
  }

  watch(nodeName: string, handler: PodHandler): () => void {
    this.handlers.set(nodeName, handler);
    const existing = podsOnNode(this.registry, nodeName);
    queueMicrotask(() => {
      for (const pod of existing) handler("ADDED", pod);
    });
    return () => this.handlers.delete(nodeName);
  }

  close(): void {
    this.unsubscribe();
    this.handlers.clear();
  }
}

/** The kubelet port for kubelets simulated inside kubesim. */
export function registryPort(registry: Registry, feed: PodFeed): KubeletPort {
  return {
    async registerNode(node) {
      const existing = registry.tryGet(nodes, "", node.metadata.name ?? "");
      return (existing ?? registry.create(nodes, "", node)).metadata.uid ?? "";
    },
    async patchNodeStatus(name, status) {
      registry.mutate(
        nodes,
        "",
        name,
        (n) => {
          n.status = applyMergePatch(n.status, status) as Record<string, unknown>;
        },
        { subresource: "status" },
      );
    },
    async renewLease(lease) {
      const name = lease.metadata.name ?? "";
      if (!registry.tryGet(leases, "kube-node-lease", name))
        registry.create(leases, "kube-node-lease", lease);
      else
        registry.mutate(leases, "kube-node-lease", name, (l) => {
          l.spec = lease.spec;
        });
    },
    async putPodStatus(pod, status) {
      const current = registry.tryGet(pods, pod.metadata.namespace ?? "", pod.metadata.name ?? "");
      if (current?.metadata.uid !== pod.metadata.uid || current?.metadata.deletionTimestamp) return;
      registry.mutate(
        pods,
        pod.metadata.namespace ?? "",
        pod.metadata.name ?? "",
        (p) => {
          p.status = status;
        },
        { subresource: "status" },
      );
    },
    async deletePod(pod) {
      const current = registry.tryGet(pods, pod.metadata.namespace ?? "", pod.metadata.name ?? "");
      if (current?.metadata.uid !== pod.metadata.uid) return;
      registry.delete(pods, pod.metadata.namespace ?? "", pod.metadata.name ?? "", {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid ?? "" },
      });
    },
    watchPods: (nodeName, onPod) => feed.watch(nodeName, onPod),
  };
}
