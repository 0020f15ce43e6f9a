import type { V1Node } from "@kubernetes/client-node";
import type { KubeApis } from "../kube/kube-apis";
import { type NodeRecord, recordPatch } from "../kube/node-annotations";
import { patchNode } from "../kube/patch-node";

/** Writes a node's record (phase first, then act: a restart resumes from what is written). */
export async function writeRecord(apis: KubeApis, node: string, record: NodeRecord): Promise<void> {
  await patchNode(apis, node, { metadata: { annotations: recordPatch(record) } });
}

export function internalAddress(node: V1Node): string | undefined {
  return node.status?.addresses?.find((a) => a.type === "InternalIP")?.address;
}

export function nodeReady(node: V1Node): boolean {
  return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
}

export const isControlPlane = (node: V1Node) =>
  node.metadata?.labels?.["node-role.kubernetes.io/control-plane"] !== undefined;
