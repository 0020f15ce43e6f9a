import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { field } from "../api";
import { nodes } from "../resources/core/node";
import { pods } from "../resources/core/pod";
import { leases } from "../resources/other/lease";
import { conditionStatus } from "../resources/pod-helpers";
import { createPod, eventually, startTestCluster, type TestCluster } from "../testing";
import { startSimulatedKubelet } from "./simulated-kubelet";

describe("startSimulatedKubelet over HTTPS", () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster();
  });
  after(async () => c.stop());

  it("registers its Node, renews its Lease and runs the pods bound to it", async () => {
    const kubelet = await startSimulatedKubelet({
      kubeconfigPath: c.sim.kubeconfigPath,
      nodeName: "node-a",
      labels: { pool: "a" },
      timeScale: 0.02,
    });
    try {
      const registry = c.sim.registry;
      const node = registry.get(nodes, "", "node-a");
      assert.equal(node.metadata.labels?.pool, "a");
      assert.equal(conditionStatus(node, "Ready"), "True");
      assert.match(
        String(field(registry.get(leases, "kube-node-lease", "node-a"), "spec", "renewTime")),
        /\.\d{6}Z$/,
      );
      createPod(registry, "worker", { labels: { app: "w" } });
      await eventually("pod Running and Ready on node-a", () => {
        const pod = registry.tryGet(pods, "default", "worker");
        return (
          pod &&
          field(pod, "spec", "nodeName") === "node-a" &&
          conditionStatus(pod, "Ready") === "True"
        );
      });
      registry.delete(pods, "default", "worker", { gracePeriodSeconds: 1 });
      await eventually(
        "pod removed after graceful termination",
        () => registry.tryGet(pods, "default", "worker") === undefined,
      );
    } finally {
      kubelet.stop();
    }
  });

  it("a reboot makes the Node NotReady, then Ready again", async () => {
    const options = { kubeconfigPath: c.sim.kubeconfigPath, nodeName: "node-b", timeScale: 0.02 };
    const first = await startSimulatedKubelet(options);
    const registry = c.sim.registry;
    first.stop();
    await eventually(
      "node-b Unknown after missed heartbeats",
      () => conditionStatus(registry.get(nodes, "", "node-b"), "Ready") === "Unknown",
    );
    const second = await startSimulatedKubelet(options);
    try {
      await eventually("node-b Ready and untainted", () => {
        const node = registry.get(nodes, "", "node-b");
        const taints = (field(node, "spec", "taints") ?? []) as { key: string }[];
        return (
          conditionStatus(node, "Ready") === "True" &&
          !taints.some((t) => t.key === "node.kubernetes.io/unreachable")
        );
      });
    } finally {
      second.stop();
    }
  });
});
