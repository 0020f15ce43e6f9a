import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { create } from "@bufbuild/protobuf";
import { startTestCluster, type TestCluster } from "../../kubesim/testing";
import { BootStateResponseSchema } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { eventually } from "../../testing/eventually";
import { watchChanges } from "../kube/changes";
import { type KubeApis, kubeApis } from "../kube/kube-apis";
import { annotations } from "../kube/node-annotations";
import { patchNode } from "../kube/patch-node";
import type { NodeApi } from "../nodes/node-api";
import { resolvePlan } from "../plan/resolve-plan";
import { holdsBudget, isNodePhase } from "../schedule";
import { runPlan } from "./plan-engine";

/** Nodes as their API would answer, kept in memory; a reboot silences the node's kubelet for a moment. */
function memoryNodes(c: TestCluster): NodeApi & { boots: Map<string, number> } {
  const nodes = new Map<
    string,
    { version: string; staged?: string; committed: boolean; bootId: string }
  >();
  const boots = new Map<string, number>();
  const of = (address: string) => {
    const node = nodes.get(address) ?? { version: "0.1.0", committed: true, bootId: randomUUID() };
    nodes.set(address, node);
    return node;
  };
  return {
    boots,
    // Later nodes stage sooner: the schedule, which takes staged nodes in order, keeps changing its pick.
    stage: async (address) => {
      await sleep((8 - Number(address.split("-").at(-1))) * 40);
      of(address).staged = "0.2.0";
      return "0.2.0";
    },
    cancel: async (address) => {
      const staged = of(address).staged ?? "";
      of(address).staged = undefined;
      return staged;
    },
    reboot: async (address) => {
      const node = of(address);
      c.sim.fleet?.silence(address);
      setTimeout(async () => {
        Object.assign(node, { version: node.staged ?? node.version, committed: false });
        node.bootId = randomUUID();
        boots.set(address, (boots.get(address) ?? 0) + 1);
        await c.sim.fleet?.restart(address);
        node.committed = true;
      }, 50);
    },
    bootId: async (address) => of(address).bootId,
    bootState: async (address) => {
      const node = of(address);
      return create(BootStateResponseSchema, {
        runningVersion: node.version,
        runningCommitted: node.committed,
        runningSlot: "A",
        nextSlot: "A",
      });
    },
    etcdMembers: async () => [],
  };
}

describe("the plan engine over a virtual fleet", () => {
  let c: TestCluster;
  let apis: KubeApis;
  before(async () => {
    // Each virtual node's InternalIP is its name, so the in-memory API knows it by it.
    c = await startTestCluster({
      virtualNodes: 8,
      virtualFleet: { node: (_, name) => ({ address: name }) },
    });
    apis = kubeApis(c.sim.kubeconfigPath);
  });
  after(() => c?.stop());

  it("never takes more than the budget, even when a pass lists the Nodes before a started worker's first write lands", async () => {
    // Node writes and lists are slow: a pass sees phases from before a worker's write.
    const slow = new Proxy(apis.core, {
      get: (core, key) =>
        key === "patchNode" || key === "listNode"
          ? async (...args: unknown[]) => {
              // A write lands late; a list answers late (what it says is as old as the delay).
              if (key === "patchNode") await sleep(150);
              const answer = await (Reflect.get(core, key) as (...a: unknown[]) => unknown).apply(
                core,
                args,
              );
              if (key === "listNode") await sleep(100);
              return answer;
            }
          : Reflect.get(core, key),
    });
    const nodes = memoryNodes(c);
    let most = 0;
    const holding = new Set<string>();
    const done = new Set<string>();
    const reopened: string[] = [];
    const stop = watchChanges(apis, "/api/v1/nodes", {}, (_type, object) => {
      const node = object as { metadata?: { name?: string; annotations?: Record<string, string> } };
      const phase = node?.metadata?.annotations?.[annotations.phase];
      const name = node?.metadata?.name ?? "";
      if (isNodePhase(phase) && holdsBudget(phase)) {
        holding.add(name);
        if (done.has(name)) reopened.push(`${name} went from Done to ${phase}`);
      } else holding.delete(name);
      if (phase === "Done") done.add(name);
      most = Math.max(most, holding.size);
    });
    const { plan, problems } = resolvePlan({
      image: "https://bundles.invalid/0.2.0.bundle",
      sha256: "0".repeat(64),
      maxUnavailable: 2,
      canary: { enabled: false },
      drain: { timeout: "30s" },
    });
    assert.deepEqual(problems, []);
    try {
      const status = await runPlan({ apis: { ...apis, core: slow }, nodes, planName: "p", plan });
      assert.deepEqual(
        status.nodes.filter((n) => n.phase !== "Done"),
        [],
      );
    } finally {
      stop();
    }
    assert.ok(most <= 2, `at most 2 nodes in the plan's out-of-service phases, saw ${most}`);
    assert.deepEqual(reopened, [], "a node that is Done stays Done");
    assert.deepEqual([...nodes.boots.values()], Array(8).fill(1), "each node rebooted once");
    // Each node keeps how long it was out of service, for the next plan's order.
    const listed = await apis.core.listNode();
    for (const n of listed.items) {
      const ms = Number(n.metadata?.annotations?.[annotations.lastOutOfServiceMs]);
      assert.ok(ms > 0 && ms < 60_000, `${n.metadata?.name} out of service ${ms} ms`);
    }
  });

  it("leaves alone the nodes a newer plan already took further: an older plan run again stages no downgrade", async () => {
    const nodes = memoryNodes(c);
    const listed = await apis.core.listNode();
    const names = listed.items.map((n) => n.metadata?.name ?? "");
    for (const name of names)
      await patchNode(apis, name, {
        metadata: {
          annotations: {
            [annotations.plan]: "newer",
            [annotations.phase]: "Done",
            [annotations.target]: "9.9.9",
          },
        },
      });
    const { plan } = resolvePlan({
      image: "https://bundles.invalid/0.2.0.bundle",
      maxUnavailable: 2,
    });
    const status = await runPlan({ apis, nodes, planName: "older", plan, target: "0.2.0" });
    assert.deepEqual(
      status.nodes.map((n) => [n.phase, n.message]),
      names.map(() => ["Done", "newer took it to 9.9.9, newer than 0.2.0"]),
    );
    assert.equal(nodes.boots.size, 0, "no node rebooted");
    const after = await apis.core.listNode();
    assert.ok(
      after.items.every((n) => n.metadata?.annotations?.[annotations.plan] === "newer"),
      "the newer plan's records stay",
    );
  });

  it("resumes a URL plan whose target only finished nodes record: they stay Done, unbooted, with or without the bundle in their record", async () => {
    const nodes = memoryNodes(c);
    const names = (await apis.core.listNode()).items.map((n) => n.metadata?.name ?? "");
    const sha256 = "1".repeat(64);
    // Three nodes were upgraded before the controller restarted; one record predates the bundle field.
    for (const [i, name] of names.entries()) {
      const done = i < 3;
      if (done) {
        await nodes.stage(name, { image: "" }, { tries: 1 });
        await nodes.reboot(name);
      }
      await patchNode(apis, name, {
        metadata: {
          annotations: {
            ...Object.fromEntries(Object.values(annotations).map((a) => [a, null])),
            ...(done
              ? {
                  [annotations.plan]: "resume",
                  [annotations.phase]: "Done",
                  [annotations.target]: "0.2.0",
                  ...(i > 0 ? { "upgrade.keelson.io/bundle": sha256 } : {}),
                }
              : {}),
          },
        },
      });
    }
    await eventually("the three nodes rebooted", () => nodes.boots.size === 3);
    nodes.boots.clear();
    const { plan } = resolvePlan({
      image: "https://bundles.invalid/0.2.0.bundle",
      sha256,
      maxUnavailable: 2,
      canary: { enabled: false },
    });
    const status = await runPlan({ apis, nodes, planName: "resume", plan });
    assert.deepEqual(
      status.nodes.filter((n) => n.phase !== "Done"),
      [],
    );
    assert.deepEqual(
      names.map((name) => nodes.boots.get(name) ?? 0),
      names.map((_, i) => (i < 3 ? 0 : 1)),
      "only the nodes not yet upgraded rebooted",
    );
  });
});
