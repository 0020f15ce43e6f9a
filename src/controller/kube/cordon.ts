import type { V1Node } from "@kubernetes/client-node";
import type { KubeApis } from "./kube-apis";
import { annotations } from "./node-annotations";
import { patchNode } from "./patch-node";

/**
 * Cordons a node, recording that this plan did it. A node someone else
 * cordoned stays as it is and unmarked, so it is never uncordoned by us.
 */
export async function cordon(apis: KubeApis, node: V1Node): Promise<void> {
  const name = node.metadata?.name ?? "";
  if (node.spec?.unschedulable && node.metadata?.annotations?.[annotations.cordoned] !== "true")
    return;
  await patchNode(apis, name, {
    spec: { unschedulable: true },
    metadata: { annotations: { [annotations.cordoned]: "true" } },
  });
}

/** Uncordons a node only if this plan cordoned it. */
export async function uncordon(apis: KubeApis, name: string): Promise<void> {
  const node = await apis.core.readNode({ name });
  if (node.metadata?.annotations?.[annotations.cordoned] !== "true") return;
  await patchNode(apis, name, {
    spec: { unschedulable: null },
    metadata: { annotations: { [annotations.cordoned]: null } },
  });
}

/** Cordoned by someone other than a plan. */
export function cordonedByOthers(node: V1Node): boolean {
  return (
    node.spec?.unschedulable === true &&
    node.metadata?.annotations?.[annotations.cordoned] !== "true"
  );
}
