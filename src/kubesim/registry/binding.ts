import { childObject, conflict, field, type JsonObject, type KubeObject } from "../api";
import { pods } from "../resources/core/pod";
import type { Registry } from "./registry";

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
  const next = structuredClone(pod);
  (next.spec as Record<string, unknown>).nodeName = nodeName;
  const spec = registry.update(pods, namespace, name, next);
  const when = new Date(registry.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const scheduled = {
    type: "PodScheduled",
    status: "True",
    lastProbeTime: null,
    lastTransitionTime: when,
  };
  return (
    registry.mutate(
      pods,
      namespace,
      name,
      (obj) => {
        const status = childObject(obj as JsonObject, "status") as {
          conditions?: { type: string }[];
        };
        status.conditions = [
          ...(status.conditions ?? []).filter((c) => c.type !== "PodScheduled"),
          scheduled,
        ];
      },
      { subresource: "status" },
    ) ?? spec
  );
}
