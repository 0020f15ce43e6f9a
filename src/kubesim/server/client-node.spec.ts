import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as k8s from "@kubernetes/client-node";
import { eventually, startTestCluster, type TestCluster } from "../testing";

describe("@kubernetes/client-node against kubesim", () => {
  let c: TestCluster;
  let kc: k8s.KubeConfig;
  before(async () => {
    c = await startTestCluster();
    kc = new k8s.KubeConfig();
    kc.loadFromFile(c.sim.kubeconfigPath);
  });
  after(async () => c.stop());

  it("creates, reads, patches and lists with the typed API", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: "default",
      body: { metadata: { name: "cfg" }, data: { a: "1" } },
    });
    const read = await core.readNamespacedConfigMap({ name: "cfg", namespace: "default" });
    assert.equal(read.data?.a, "1");
    await core.patchNamespacedConfigMap(
      { name: "cfg", namespace: "default", body: { data: { b: "2" } } },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.MergePatch),
    );
    const list = await core.listNamespacedConfigMap({ namespace: "default" });
    assert.deepEqual(list.items.find((i) => i.metadata?.name === "cfg")?.data, { a: "1", b: "2" });
  });

  it("rejects a stale update with 409 Conflict", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const current = await core.readNamespacedConfigMap({ name: "cfg", namespace: "default" });
    await core.replaceNamespacedConfigMap({
      name: "cfg",
      namespace: "default",
      body: { ...current, data: { c: "3" } },
    });
    await assert.rejects(
      core.replaceNamespacedConfigMap({
        name: "cfg",
        namespace: "default",
        body: { ...current, data: { d: "4" } },
      }),
      (error: unknown) => (error as { code?: number }).code === 409,
    );
  });

  it("keeps an informer in sync across watch reconnects", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, "/api/v1/namespaces/default/configmaps", () =>
      core.listNamespacedConfigMap({ namespace: "default" }),
    );
    const seen = new Set<string>();
    informer.on("add", (obj) => seen.add(obj.metadata?.name ?? ""));
    await informer.start();
    try {
      await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "before-cut" } },
      });
      await eventually("first add", () => seen.has("before-cut"));
      c.sim.closeWatches();
      await core.createNamespacedConfigMap({
        namespace: "default",
        body: { metadata: { name: "after-cut" } },
      });
      await eventually("add after the watch was cut", () => seen.has("after-cut"));
      assert.ok(informer.list().some((o) => o.metadata?.name === "after-cut"));
    } finally {
      await informer.stop();
    }
  });

  it("applies server-side, with field managers and conflicts", async () => {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apply = (manager: string, value: string, force = false) =>
      core.patchNamespacedConfigMap(
        {
          name: "ssa",
          namespace: "default",
          fieldManager: manager,
          force,
          body: {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "ssa" },
            data: { key: value },
          },
        },
        k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.ServerSideApply),
      );
    const created = await apply("controller", "1");
    assert.deepEqual(
      created.metadata?.managedFields?.map((f) => [f.manager, f.operation]),
      [["controller", "Apply"]],
    );
    await assert.rejects(
      apply("other", "2"),
      (error: unknown) => (error as { code?: number }).code === 409,
    );
    const forced = await apply("other", "2", true);
    assert.equal(forced.data?.key, "2");
  });
});
