import { childObject, conflict, field, type JsonObject, type KubeObject } from "../api";
import { pods } from "../resources/core/pod";
import type { Registry } from "./registry";
import { writableCopy } from "./writable-copy";

/**
 * pods/binding: sets spec.nodeName once. The scheduler binds through here and
 * so does a POST of a Binding; a second binding is a 409, as on a real server.
 */
export function bindPod(
  registry: Registry,
  namespace: string,
  name: string,
  nodeName: string,
): KubeObject {
  const pod = registry.get(pods, namespace, name);
  const current = field(pod, "spec", "nodeName");
  if (current)
    throw conflict("pods", "", name, `pod ${name} is already assigned to node "${current}"`);
  if (pod.metadata.deletionTimestamp)
    throw conflict("pods", "", name, `pod ${name} is being deleted, cannot be assigned to a host`);
  const next = writableCopy(pod);
  (next.spec as Record<string, unknown>).nodeName = nodeName;
  const when = new Date(registry.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const scheduled = {
    type: "PodScheduled",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: when,
  };
  const status = childObject(next as JsonObject, "status") as { conditions?: { type: string }[] };
  status.conditions = [
    ...(status.conditions ?? []).filter((c) => c.type !== "PodScheduled"),
    scheduled,
  ];
  // One write for node and condition, as the binding REST's assignPod does.
  return registry.update(pods, namespace, name, next, { trusted: true, withStatus: true });
}
