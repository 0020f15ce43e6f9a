import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StatusError } from "../api";
import { pods } from "../resources/core/pod";
import { podDisruptionBudgets } from "../resources/other/pdb";
import { createPdb, createPod, eviction, quietRegistry } from "../testing";
import { evictPod } from "./evict";

// Each case names the branch of kube-apiserver's EvictionREST.Create
// (pkg/registry/core/pod/storage/eviction.go) it reproduces.

function statusError(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return error;
    throw error;
  }
  assert.fail("expected a StatusError");
}

describe("evictPod", () => {
  it("answers 201 and deletes gracefully when no PDB selects the pod", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    const result = evictPod(registry, "default", "a", eviction("a"), false);
    assert.equal(result.code, 201);
    assert.equal(result.body.status, "Success");
    const pod = registry.get(pods, "default", "a");
    assert.ok(pod.metadata.deletionTimestamp, "running pod on a node is deleted gracefully");
    assert.equal(pod.metadata.deletionGracePeriodSeconds, 30);
  });

  it("adds the DisruptionTarget condition (addConditionAndDeletePod)", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    evictPod(registry, "default", "a", eviction("a"), false);
    const conditions = (
      registry.get(pods, "default", "a").status as {
        conditions: { type: string; reason?: string }[];
      }
    ).conditions;
    assert.equal(
      conditions.find((c) => c.type === "DisruptionTarget")?.reason,
      "EvictionByEvictionAPI",
    );
  });

  it("honours DeleteOptions.gracePeriodSeconds", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    evictPod(registry, "default", "a", eviction("a", { gracePeriodSeconds: 7 }), false);
    assert.equal(registry.get(pods, "default", "a").metadata.deletionGracePeriodSeconds, 7);
  });

  it("answers 429 with a DisruptionBudget cause when no disruption is allowed (checkAndDecrement)", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    createPdb(
      registry,
      "web",
      { minAvailable: 1 },
      { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 },
    );
    const error = statusError(() => evictPod(registry, "default", "a", eviction("a"), false));
    assert.equal(error.code, 429);
    assert.equal(error.reason, "TooManyRequests");
    assert.equal(
      error.message,
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    assert.deepEqual(error.details?.causes, [
      {
        reason: "DisruptionBudget",
        message: "The disruption budget web needs 1 healthy pods and has 1 currently",
      },
    ]);
    assert.equal(registry.get(pods, "default", "a").metadata.deletionTimestamp, undefined);
  });

  it("answers 429 while the PDB controller has not observed the latest generation", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    createPdb(
      registry,
      "web",
      { minAvailable: 0 },
      { disruptionsAllowed: 5, observedGeneration: 0 },
    );
    const error = statusError(() => evictPod(registry, "default", "a", eviction("a"), false));
    assert.equal(error.code, 429);
    assert.match(
      error.details?.causes?.[0]?.message ?? "",
      /is still being processed by the server/,
    );
  });

  it("decrements disruptionsAllowed and records the pod in disruptedPods", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    createPdb(
      registry,
      "web",
      { maxUnavailable: 1 },
      { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 },
    );
    assert.equal(evictPod(registry, "default", "a", eviction("a"), false).code, 201);
    const status = registry.get(podDisruptionBudgets, "default", "web").status as {
      disruptionsAllowed: number;
      disruptedPods: Record<string, string>;
    };
    assert.equal(status.disruptionsAllowed, 0);
    assert.ok(status.disruptedPods.a);
  });

  it("answers 500 when more than one PDB selects the pod", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    createPdb(registry, "one", { minAvailable: 0 }, { disruptionsAllowed: 1 });
    createPdb(registry, "two", { minAvailable: 0 }, { disruptionsAllowed: 1 });
    const result = evictPod(registry, "default", "a", eviction("a"), false);
    assert.equal(result.code, 500);
    assert.equal(
      result.body.message,
      "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.",
    );
    assert.equal(registry.get(pods, "default", "a").metadata.deletionTimestamp, undefined);
  });

  it("evicts pending pods without consulting a budget (canIgnorePDB)", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Pending" });
    createPdb(registry, "web", { minAvailable: 5 }, { disruptionsAllowed: 0 });
    assert.equal(evictPod(registry, "default", "a", eviction("a"), false).code, 201);
    assert.equal(
      registry.tryGet(pods, "default", "a"),
      undefined,
      "an unscheduled pod goes at once",
    );
  });

  it("evicts an unready pod with AlwaysAllow even when the budget is exhausted", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", ready: false, nodeName: "n1" });
    createPdb(
      registry,
      "web",
      { minAvailable: 3, unhealthyPodEvictionPolicy: "AlwaysAllow" },
      { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 3 },
    );
    assert.equal(evictPod(registry, "default", "a", eviction("a"), false).code, 201);
  });

  it("refuses an unready pod under IfHealthyBudget when the budget is not met", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", ready: false, nodeName: "n1" });
    createPdb(
      registry,
      "web",
      { minAvailable: 3 },
      { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 3 },
    );
    assert.equal(
      statusError(() => evictPod(registry, "default", "a", eviction("a"), false)).code,
      429,
    );
  });

  it("evicts an unready pod under IfHealthyBudget when the budget is met, without decrementing", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", ready: false, nodeName: "n1" });
    createPdb(
      registry,
      "web",
      { minAvailable: 2 },
      { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 },
    );
    assert.equal(evictPod(registry, "default", "a", eviction("a"), false).code, 201);
    assert.equal(
      (
        registry.get(podDisruptionBudgets, "default", "web").status as {
          disruptionsAllowed: number;
        }
      ).disruptionsAllowed,
      0,
    );
  });

  it("changes nothing on dry-run", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    createPdb(
      registry,
      "web",
      { maxUnavailable: 1 },
      { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 },
    );
    assert.equal(
      evictPod(registry, "default", "a", eviction("a", { dryRun: ["All"] }), false).code,
      201,
    );
    assert.equal(evictPod(registry, "default", "a", eviction("a"), true).code, 201);
    assert.equal(registry.get(pods, "default", "a").metadata.deletionTimestamp, undefined);
    assert.equal(
      (
        registry.get(podDisruptionBudgets, "default", "web").status as {
          disruptionsAllowed: number;
        }
      ).disruptionsAllowed,
      1,
    );
  });

  it("rejects an Eviction whose name differs from the URL with 400", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    const error = statusError(() => evictPod(registry, "default", "a", eviction("b"), false));
    assert.equal(error.code, 400);
    assert.equal(error.message, "name in URL does not match name in Eviction object");
  });

  it("answers 404 for a pod that does not exist", () => {
    const registry = quietRegistry();
    assert.equal(
      statusError(() => evictPod(registry, "default", "gone", eviction("gone"), false)).code,
      404,
    );
  });

  it("ignores PDBs with an empty selector (they match nothing)", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Running", nodeName: "n1" });
    createPdb(registry, "all", { selector: {}, minAvailable: 5 }, { disruptionsAllowed: 0 });
    assert.equal(evictPod(registry, "default", "a", eviction("a"), false).code, 201);
  });
});
