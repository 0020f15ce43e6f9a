import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { eventually, startTestCluster, type TestCluster } from "../../kubesim/testing";
import { createDeployment, createPdb } from "../testing/workloads";
import { cordon, uncordon } from "./cordon";
import { drainNode } from "./drain";
import { type KubeApis, kubeApis } from "./kube-apis";
import { annotations } from "./node-annotations";

const options = {
  timeoutMs: 20_000,
  deleteEmptyDirData: false,
  ignoreDaemonSets: true,
  force: false,
};

describe("drain, as kubectl does it, against kubesim", () => {
  let c: TestCluster;
  let apis: KubeApis;
  before(async () => {
    c = await startTestCluster({ virtualNodes: 4, virtualFleet: { prefix: "n-" } });
    apis = kubeApis(c.sim.kubeconfigPath);
    await c.kubectl("create", "namespace", "app");
  });
  after(async () => c.stop());

  const podsOn = async (node: string, namespace = "app") =>
    (await apis.core.listNamespacedPod({ namespace, fieldSelector: `spec.nodeName=${node}` }))
      .items;

  async function deployment(name: string, replicas: number, extra: Record<string, unknown> = {}) {
    await createDeployment(apis, "app", name, replicas, extra);
    await eventually(`${name} ready`, async () => {
      const d = await apis.apps.readNamespacedDeployment({ name, namespace: "app" });
      return d.status?.readyReplicas === replicas;
    });
  }

  async function busiest(label: string): Promise<string> {
    const pods = (
      await apis.core.listNamespacedPod({ namespace: "app", labelSelector: `app=${label}` })
    ).items;
    return pods[0]?.spec?.nodeName ?? assert.fail("no pod scheduled");
  }

  it("evicts through the PDB, retrying refusals until the budget allows, and records its cordon", async () => {
    await deployment("web", 4);
    await createPdb(apis, "app", "web", "web", { minAvailable: 3 });
    const node = await busiest("web");
    await cordon(apis, await apis.core.readNode({ name: node }));
    const marked = await apis.core.readNode({ name: node });
    assert.equal(marked.spec?.unschedulable, true);
    assert.equal(marked.metadata?.annotations?.[annotations.cordoned], "true");
    const result = await drainNode(apis, node, options);
    assert.equal(result.drained, true, JSON.stringify(result));
    assert.deepEqual(
      (await podsOn(node)).filter((p) => p.metadata?.labels?.app === "web"),
      [],
    );
    await uncordon(apis, node);
    assert.notEqual((await apis.core.readNode({ name: node })).spec?.unschedulable, true);
  });

  it("never uncordons a node someone else cordoned", async () => {
    await c.kubectl("cordon", "n-3");
    await cordon(apis, await apis.core.readNode({ name: "n-3" }));
    await uncordon(apis, "n-3");
    const n = await apis.core.readNode({ name: "n-3" });
    assert.equal(n.spec?.unschedulable, true);
    assert.equal(n.metadata?.annotations?.[annotations.cordoned], undefined);
    await c.kubectl("uncordon", "n-3");
  });

  it("times out on a budget that never allows, naming what is left and why", async () => {
    await deployment("db", 2);
    await createPdb(apis, "app", "db", "db", { maxUnavailable: 0 });
    const node = await busiest("db");
    await cordon(apis, await apis.core.readNode({ name: node }));
    const result = await drainNode(apis, node, {
      ...options,
      timeoutMs: 1500,
      podSelector: { matchLabels: { app: "db" } },
    });
    assert.equal(result.drained, false);
    if (result.drained) return;
    assert.ok(result.refusals > 0);
    assert.match(
      result.message,
      /drain timed out with \d pod\(s\) left: app\/db-.*disruption budget/i,
    );
    await uncordon(apis, node);
  });

  it("fails at once when two budgets cover a pod, and refuses emptyDir data unless allowed", async () => {
    await createPdb(apis, "app", "db-too", "db", { minAvailable: 0 });
    const node = await busiest("db");
    await assert.rejects(
      drainNode(apis, node, { ...options, podSelector: { matchLabels: { app: "db" } } }),
      /cannot evict app\/db-.*one PodDisruptionBudget|more than one/,
    );
    await deployment("scratch", 1, { volumes: [{ name: "tmp", emptyDir: {} }] });
    const scratchNode = await busiest("scratch");
    await assert.rejects(
      drainNode(apis, scratchNode, {
        ...options,
        podSelector: { matchLabels: { app: "scratch" } },
      }),
      /has emptyDir data that would be lost/,
    );
    const allowed = await drainNode(apis, scratchNode, {
      ...options,
      deleteEmptyDirData: true,
      podSelector: { matchLabels: { app: "scratch" } },
    });
    assert.equal(allowed.drained, true);
  });

  it("keeps draining across dropped watches", async () => {
    await deployment("api", 3);
    const node = await busiest("api");
    await cordon(apis, await apis.core.readNode({ name: node }));
    const draining = drainNode(apis, node, {
      ...options,
      podSelector: { matchLabels: { app: "api" } },
    });
    c.sim.closeWatches();
    const result = await draining;
    assert.equal(result.drained, true);
    await uncordon(apis, node);
  });
});
