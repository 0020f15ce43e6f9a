import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { field } from "../api";
import { pods } from "../resources/core/pod";
import { conditionStatus } from "../resources/pod-helpers";
import { createReadyNode, quietRegistry } from "../testing";
import { NodeUsage } from "./node-usage";
import { schedulePending } from "./scheduler";

function pending(name: string, spec: Record<string, unknown> = {}) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { containers: [{ name: "c", image: "i" }], ...spec },
  };
}

describe("scheduler", () => {
  it("honours nodeSelector, taints, tolerations and cordons", () => {
    const registry = quietRegistry();
    createReadyNode(registry, "plain");
    createReadyNode(
      registry,
      "gpu",
      { accel: "gpu" },
      { taints: [{ key: "gpu", effect: "NoSchedule" }] },
    );
    createReadyNode(registry, "cordoned", { accel: "gpu" }, { unschedulable: true });
    registry.create(
      pods,
      "default",
      pending("wants-gpu", {
        nodeSelector: { accel: "gpu" },
        tolerations: [{ key: "gpu", operator: "Exists" }],
      }),
    );
    registry.create(pods, "default", pending("any"));
    registry.create(
      pods,
      "default",
      pending("gpu-untolerated", { nodeSelector: { accel: "gpu" } }),
    );
    const usage = new NodeUsage(registry);
    schedulePending(registry, usage);
    const nodeOf = (name: string) => field(registry.get(pods, "default", name), "spec", "nodeName");
    assert.equal(nodeOf("wants-gpu"), "gpu");
    assert.equal(nodeOf("any"), "plain");
    assert.equal(nodeOf("gpu-untolerated"), undefined);
    assert.equal(
      conditionStatus(registry.get(pods, "default", "gpu-untolerated"), "PodScheduled"),
      "False",
    );
    usage.close();
  });

  it("spreads pods and respects the pods capacity of a node", () => {
    const registry = quietRegistry();
    createReadyNode(registry, "a");
    createReadyNode(registry, "b");
    for (let i = 0; i < 4; i++) registry.create(pods, "default", pending(`p${i}`));
    const usage = new NodeUsage(registry);
    assert.equal(schedulePending(registry, usage), 4);
    assert.equal(usage.of("a").pods, 2);
    assert.equal(usage.of("b").pods, 2);
    usage.close();
  });
});
