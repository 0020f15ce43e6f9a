import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { field, type KubeObject } from "../api";
import { daemonSets, replicaSets, statefulSets } from "../resources/apps/workloads";
import { pods } from "../resources/core/pod";
import { podDisruptionBudgets } from "../resources/other/pdb";
import { isPodReady, nodeNameOf } from "../resources/pod-helpers";
import { eventually, startTestCluster, type TestCluster } from "../testing";

const template = (app: string) => ({
  metadata: { labels: { app } },
  spec: { containers: [{ name: "c", image: "i" }] },
});

function workload(kind: string, name: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name },
    spec: { selector: { matchLabels: { app: name } }, template: template(name), ...spec },
  };
}

describe("controllers with a virtual fleet", () => {
  let c: TestCluster;
  const podsOf = (app: string) =>
    c.sim.registry.list(pods, "default", { labelSelector: `app=${app}` }).entries.map((e) => e.obj);
  before(async () => {
    c = await startTestCluster({ virtualNodes: 3 });
  });
  after(async () => c.stop());

  it("runs one DaemonSet pod on every node, cordoned ones included", async () => {
    const registry = c.sim.registry;
    registry.mutate(registry.type("/nodes"), "", "vnode-0", (n) => {
      (n.spec as Record<string, unknown>).unschedulable = true;
    });
    registry.create(daemonSets, "default", workload("DaemonSet", "agent"));
    await eventually(
      "three ready daemon pods",
      () => podsOf("agent").filter(isPodReady).length === 3,
    );
    assert.deepEqual(podsOf("agent").map(nodeNameOf).sort(), ["vnode-0", "vnode-1", "vnode-2"]);
    registry.mutate(registry.type("/nodes"), "", "vnode-0", (n) => {
      (n.spec as Record<string, unknown>).unschedulable = false;
    });
  });

  it("recreates a StatefulSet pod under the same name, in ordinal order", async () => {
    const registry = c.sim.registry;
    registry.create(statefulSets, "default", workload("StatefulSet", "db", { replicas: 3 }));
    await eventually("db-0..2 ready", () => podsOf("db").filter(isPodReady).length === 3);
    assert.deepEqual(
      podsOf("db")
        .map((p) => p.metadata.name)
        .sort(),
      ["db-0", "db-1", "db-2"],
    );
    const oldUid = registry.get(pods, "default", "db-1").metadata.uid;
    registry.delete(pods, "default", "db-1");
    await eventually("db-1 back with a new uid", () => {
      const pod = registry.tryGet(pods, "default", "db-1");
      return pod && pod.metadata.uid !== oldUid && isPodReady(pod);
    });
  });

  it("computes PodDisruptionBudget status", async () => {
    const registry = c.sim.registry;
    registry.create(podDisruptionBudgets, "default", {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "db" },
      spec: { minAvailable: 2, selector: { matchLabels: { app: "db" } } },
    });
    const status = await eventually("pdb status", () => {
      const s = registry.get(podDisruptionBudgets, "default", "db").status as Record<
        string,
        number
      >;
      return s.currentHealthy === 3 ? s : undefined;
    });
    assert.equal(status.desiredHealthy, 2);
    assert.equal(status.disruptionsAllowed, 1);
    assert.equal(status.expectedPods, 3);
  });

  it("orphans dependents with propagationPolicy Orphan and collects them in the background otherwise", async () => {
    const registry = c.sim.registry;
    registry.create(replicaSets, "default", workload("ReplicaSet", "kept", { replicas: 2 }));
    registry.create(replicaSets, "default", workload("ReplicaSet", "gone", { replicas: 2 }));
    await eventually(
      "both replica sets have pods",
      () => podsOf("kept").length === 2 && podsOf("gone").length === 2,
    );
    registry.delete(replicaSets, "default", "kept", { propagationPolicy: "Orphan" });
    registry.delete(replicaSets, "default", "gone");
    await eventually(
      "kept rs deleted, pods orphaned",
      () =>
        !registry.tryGet(replicaSets, "default", "kept") &&
        podsOf("kept").every((p) => !p.metadata.ownerReferences?.length),
    );
    await eventually(
      "gone pods collected",
      () =>
        podsOf("gone").every((p) => p.metadata.deletionTimestamp) || podsOf("gone").length === 0,
    );
    assert.equal(podsOf("kept").filter((p) => !p.metadata.deletionTimestamp).length, 2);
    assert.equal(field(podsOf("kept")[0], "metadata", "ownerReferences")?.toString() ?? "", "");
  });
});
