import { KeelsonError } from "../../../machinery/errors";
import type { Containerd } from "./containerd";

/** The namespaces Keelson uses: its own OS services, and Kubernetes' (the CRI plugin's). */
export const systemNamespace = "system";
export const kubernetesNamespace = "k8s.io";

export async function listNamespaces(cd: Containerd): Promise<string[]> {
  const response = await cd.call("list namespaces", (s, o) => s.namespaces.list({}, o));
  return response.namespaces.map((n) => n.name).sort();
}

/**
 * Fails with notFound unless `namespace` exists. containerd itself answers a
 * list in an unknown namespace with an empty list, which hides typos.
 */
export async function requireNamespace(cd: Containerd, namespace: string): Promise<void> {
  const known = await listNamespaces(cd);
  if (!known.includes(namespace)) {
    throw new KeelsonError(
      "notFound",
      `no container namespace "${namespace}"`,
      `namespaces on this node: ${known.join(", ") || "none yet"}`,
    );
  }
}
