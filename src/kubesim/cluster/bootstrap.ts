import type { Registry } from "../registry";
import { namespaces } from "../resources/core/namespace";

export const systemNamespaces = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
] as const;

/** The namespaces every cluster starts with. */
export function bootstrapCluster(registry: Registry): void {
  for (const name of systemNamespaces) {
    if (!registry.tryGet(namespaces, "", name)) {
      registry.create(namespaces, "", { apiVersion: "v1", kind: "Namespace", metadata: { name } });
    }
  }
}
