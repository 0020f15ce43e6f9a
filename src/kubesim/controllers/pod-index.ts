import type { KubeObject } from "../api";
import type { Registry } from "../registry";
import { pods } from "../resources/core/pod";
import { nodeNameOf } from "../resources/pod-helpers";
import { storageKey } from "../resources/resource-type";

/** Pods by spec.nodeName ("" for unscheduled): the scheduler's and the kubelets' view. */
export function podsOnNode(registry: Registry, nodeName: string): KubeObject[] {
  const table = registry.store.table(storageKey(pods));
  if (!table.hasIndex("node")) table.addIndex("node", (e) => [nodeNameOf(e.obj)]);
  return table.byIndex("node", nodeName).map((e) => e.obj);
}
