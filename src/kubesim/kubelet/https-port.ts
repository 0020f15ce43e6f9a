import type { KubeClient } from "../../machinery/kube";
import type { KubeObject } from "../api";
import type { KubeletPort, PodEventType } from "./kubelet-port";

const merge = "application/merge-patch+json";

function podPath(pod: KubeObject, sub = ""): string {
  return `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}${sub}`;
}

interface WatchEvent {
  type: string;
  object: KubeObject & { code?: number };
}

/**
 * List, then watch from the list's resourceVersion; resume after a dropped
 * stream, re-list after 410 Gone. Pods that vanished while disconnected are
 * reported DELETED.
 */
function watchNodePods(
  client: KubeClient,
  nodeName: string,
  onPod: (t: PodEventType, p: KubeObject) => void,
  retryMs: number,
) {
  const controller = new AbortController();
  const selector = `fieldSelector=${encodeURIComponent(`spec.nodeName=${nodeName}`)}`;
  const known = new Map<string, KubeObject>();
  const loop = async () => {
    while (!controller.signal.aborted) {
      try {
        const list = (await client.call("GET", `/api/v1/pods?${selector}`)) as {
          metadata: { resourceVersion: string };
          items: KubeObject[];
        };
        const seen = new Set(list.items.map((p) => p.metadata.uid));
        for (const [uid, pod] of known) if (!seen.has(uid)) onPod("DELETED", pod);
        known.clear();
        for (const pod of list.items) {
          known.set(pod.metadata.uid ?? "", pod);
          onPod("ADDED", pod);
        }
        let rv = list.metadata.resourceVersion;
        let expired = false;
        while (!controller.signal.aborted && !expired) {
          await client.stream(
            `/api/v1/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&${selector}`,
            (line) => {
              const event = line as WatchEvent;
              if (event.type === "ERROR") expired = true;
              if (event.type === "ERROR" || !event.object?.metadata) return;
              rv = event.object.metadata.resourceVersion ?? rv;
              if (event.type === "BOOKMARK") return;
              if (event.type === "DELETED") known.delete(event.object.metadata.uid ?? "");
              else known.set(event.object.metadata.uid ?? "", event.object);
              onPod(event.type as PodEventType, event.object);
            },
            controller.signal,
          );
        }
      } catch {
        // The API server is away (restart, network): try again shortly, as a kubelet does.
        await new Promise((r) => setTimeout(r, retryMs).unref());
      }
    }
  };
  void loop();
  return () => controller.abort();
}

/** The kubelet port over HTTPS, for kubelets running in node agents. */
export function httpsPort(client: KubeClient, retryMs: number): KubeletPort {
  return {
    async registerNode(node) {
      const res = await client.send("POST", "/api/v1/nodes", node);
      if (res.status === 201) return (res.body as KubeObject).metadata.uid ?? "";
      const existing = (await client.call(
        "GET",
        `/api/v1/nodes/${node.metadata.name}`,
      )) as KubeObject;
      return existing.metadata.uid ?? "";
    },
    async patchNodeStatus(name, status) {
      await client.call("PATCH", `/api/v1/nodes/${name}/status`, { status }, merge);
    },
    async renewLease(lease) {
      const path = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${lease.metadata.name}`;
      const res = await client.send("PATCH", path, { spec: lease.spec }, merge);
      if (res.status === 404)
        await client.call(
          "POST",
          "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases",
          lease,
        );
      else if (res.status >= 300) await client.call("PATCH", path, { spec: lease.spec }, merge);
    },
    async putPodStatus(pod, status) {
      const patch = { metadata: { uid: pod.metadata.uid }, status };
      const res = await client.send("PATCH", podPath(pod, "/status"), patch, merge);
      if (res.status === 404 || res.status === 409) return;
      if (res.status >= 300) await client.call("PATCH", podPath(pod, "/status"), patch, merge);
    },
    async deletePod(pod) {
      const res = await client.send("DELETE", podPath(pod), {
        gracePeriodSeconds: 0,
        preconditions: { uid: pod.metadata.uid },
      });
      if (res.status >= 300 && res.status !== 404 && res.status !== 409)
        await client.call("DELETE", podPath(pod), { gracePeriodSeconds: 0 });
    },
    watchPods: (nodeName, onPod) => watchNodePods(client, nodeName, onPod, retryMs),
  };
}
