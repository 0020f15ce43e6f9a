import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { seededRandom } from "../../testing/chaos";
import type { PlanSpec } from "../plan/plan-schema";
import { resolvePlan } from "../plan/resolve-plan";
import { holdsBudget, isFinal, type NodePhase } from "./node-phase";
import { type FleetNode, schedule } from "./schedule";

const planOf = (spec: Partial<PlanSpec>) => resolvePlan({ image: "x.bundle", ...spec }).plan;
const node = (name: string, phase: NodePhase, extra: Partial<FleetNode> = {}): FleetNode => ({
  name,
  controlPlane: false,
  phase,
  ready: true,
  cordonedByOthers: false,
  ...extra,
});
const at = Date.parse("2026-11-30T12:00:00Z");
const decide = (
  plan: ReturnType<typeof planOf>,
  nodes: FleetNode[],
  etcd?: { members: number; healthy: number },
) => schedule({ plan, nodes, now: at, stagingConcurrency: 4, ...(etcd ? { etcd } : {}) });

describe("the schedule", () => {
  it("counts nodes already unavailable against the budget, and says so", () => {
    const s = schedule({
      plan: planOf({ maxUnavailable: 2, canary: { enabled: false } }),
      nodes: [
        node("a", "Staged"),
        node("b", "Staged"),
        node("c", "Pending", { ready: false }),
        node("d", "Done", { cordonedByOthers: true }),
      ],
      now: at,
      stagingConcurrency: 4,
    });
    // c is NotReady (1 of 2 used); d is finished and no longer counts.
    assert.deepEqual(s.cordon, ["a"]);
    assert.deepEqual(s.unavailable, ["c"]);
    assert.match(s.waiting.b ?? "", /budget: 1 of 2 unavailable \(c\)/);
  });

  it("takes control planes first, one at a time, and only while etcd keeps quorum", () => {
    const nodes = [
      node("cp-1", "Staged", { controlPlane: true }),
      node("cp-2", "Staged", { controlPlane: true }),
      node("w-1", "Staged"),
    ];
    const plan = planOf({ maxUnavailable: 3, canary: { enabled: false } });
    const s = decide(plan, nodes, { members: 3, healthy: 3 });
    assert.deepEqual(s.cordon, ["cp-1"]);
    assert.equal(s.waiting["w-1"], "control planes go first");
    const degraded = decide(plan, nodes, { members: 3, healthy: 2 });
    assert.deepEqual(degraded.cordon, []);
    assert.match(degraded.waiting["cp-1"] ?? "", /etcd would lose quorum: 2 of 3/);
    // Two members lose quorum whichever goes: waiting would never end, so one goes while both are healthy.
    assert.deepEqual(decide(plan, nodes, { members: 2, healthy: 2 }).cordon, ["cp-1"]);
    assert.deepEqual(decide(plan, nodes, { members: 2, healthy: 1 }).cordon, []);
  });

  it("sends the canary alone until it is done", () => {
    const plan = planOf({ maxUnavailable: 5 });
    const first = schedule({
      plan,
      nodes: [node("a", "Staged"), node("b", "Staged")],
      now: at,
      stagingConcurrency: 4,
    });
    assert.deepEqual(first.cordon, ["a"]);
    const soaking = schedule({
      plan,
      nodes: [node("a", "Soaking"), node("b", "Staged")],
      now: at,
      stagingConcurrency: 4,
    });
    assert.deepEqual(soaking.cordon, []);
    assert.match(soaking.waiting.b ?? "", /canary a goes alone/);
  });

  it("waits outside the windows unless critical, and stages meanwhile", () => {
    const windows = [{ start: "22:00", duration: "4h" }];
    const nodes = [node("a", "Staged"), node("b", "Pending")];
    const normal = schedule({ plan: planOf({ windows }), nodes, now: at, stagingConcurrency: 4 });
    assert.deepEqual(normal.cordon, []);
    assert.deepEqual(normal.stage, ["b"]);
    assert.match(normal.waiting.a ?? "", /next opens 2026-11-30T22:00:00.000Z/);
    const critical = schedule({
      plan: planOf({ windows, priority: "critical" }),
      nodes,
      now: at,
      stagingConcurrency: 4,
    });
    assert.deepEqual(critical.cordon, ["a"]);
  });

  it("halts on a failure, or counts failures up to maxFailures", () => {
    const nodes = [node("a", "FellBack"), node("b", "Staged"), node("c", "Done")];
    const halted = schedule({ plan: planOf({}), nodes, now: at, stagingConcurrency: 4 });
    assert.match(halted.halted ?? "", /a failed/);
    assert.deepEqual(halted.cordon, []);
    const going = schedule({
      plan: planOf({ onFailure: "continue", maxFailures: 1 }),
      nodes,
      now: at,
      stagingConcurrency: 4,
    });
    assert.deepEqual(going.cordon, ["b"]);
  });

  it("leaves a node another plan holds alone, and says which plan", () => {
    const s = schedule({
      plan: planOf({}),
      nodes: [node("a", "Pending", { heldBy: "other" })],
      now: at,
      stagingConcurrency: 4,
    });
    assert.deepEqual([s.stage, s.cordon], [[], []]);
    assert.equal(s.waiting.a, "waiting for plan other");
  });
});

describe("the order nodes go in", () => {
  const plan = planOf({ maxUnavailable: 2, canary: { enabled: false } });
  it("stages and takes the nodes longest out of service last time first", () => {
    const nodes = [
      node("short", "Pending", { lastOutOfServiceMs: 10_000 }),
      node("long", "Pending", { lastOutOfServiceMs: 90_000 }),
      node("new", "Pending"),
      node("mid", "Pending", { lastOutOfServiceMs: 40_000 }),
    ];
    // "new" has no history: it counts as the median of the others (40 s), and ties keep the fleet's order.
    assert.deepEqual(decide(plan, nodes).stage, ["long", "new", "mid", "short"]);
    const staged = nodes.map((n) => ({ ...n, phase: "Staged" as const }));
    assert.deepEqual(decide(plan, staged).cordon, ["long", "new"]);
  });

  it("picks as the canary the node expected back soonest, then goes longest first", () => {
    const withCanary = planOf({ maxUnavailable: 2 });
    const nodes = [
      node("short", "Pending", { lastOutOfServiceMs: 10_000 }),
      node("long", "Pending", { lastOutOfServiceMs: 90_000 }),
      node("mid", "Pending", { lastOutOfServiceMs: 40_000 }),
    ];
    assert.deepEqual(decide(withCanary, nodes).stage, ["short", "long", "mid"]);
    const staged = nodes.map((n) => ({ ...n, phase: "Staged" as const }));
    assert.deepEqual(decide(withCanary, staged).cordon, ["short"]);
  });

  it("keeps the fleet's order when no node has history", () => {
    const nodes = ["c", "a", "b"].map((n) => node(n, "Pending"));
    assert.deepEqual(decide(plan, nodes).stage, ["c", "a", "b"]);
  });
});

const next: Partial<Record<NodePhase, NodePhase>> = {
  Cordoned: "Draining",
  Draining: "Rebooting",
  Rebooting: "Verifying",
  Verifying: "Soaking",
  Soaking: "Done",
};

describe("the schedule over random fleets (property)", () => {
  it("never takes a node past the budget, one control plane at a time, and finishes every node", () => {
    const fleet = fc.record({
      // Two members cannot lose one and keep quorum: such a fleet waits (a unit case above).
      controlPlanes: fc.constantFrom(0, 1, 3, 5),
      workers: fc.integer({ min: 1, max: 25 }),
      budget: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom("10%", "34%", "50%")),
      canary: fc.boolean(),
      failures: fc.boolean(),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(fleet, (f) => {
        const rand = seededRandom(f.seed);
        const nodes: FleetNode[] = [
          ...Array.from({ length: f.controlPlanes }, (_, i) =>
            node(`cp-${i}`, "Pending", { controlPlane: true }),
          ),
          // Some with a recorded last upgrade, so the schedule reorders them.
          ...Array.from({ length: f.workers }, (_, i) =>
            node(`w-${i}`, "Pending", rand() < 0.5 ? { lastOutOfServiceMs: rand() * 60_000 } : {}),
          ),
        ];
        const plan = planOf({
          maxUnavailable: f.budget,
          canary: { enabled: f.canary },
          onFailure: "continue",
          maxFailures: 1_000,
        });
        for (let step = 0; step < 2_000 && !nodes.every((n) => isFinal(n.phase)); step++) {
          // The world changes: nodes not ours go NotReady or get cordoned by someone, and back.
          for (const n of nodes)
            if (!holdsBudget(n.phase) && rand() < 0.02) {
              n.ready = rand() < 0.8;
              n.cordonedByOthers = rand() < 0.1;
            }
          const before = nodes.filter(
            (n) => holdsBudget(n.phase) || (!isFinal(n.phase) && (!n.ready || n.cordonedByOthers)),
          ).length;
          const s = schedule({
            plan,
            nodes,
            now: at,
            stagingConcurrency: 3,
            etcd: { members: f.controlPlanes, healthy: f.controlPlanes },
          });
          for (const name of s.stage) byName(nodes, name).phase = "Staging";
          for (const name of s.cordon) byName(nodes, name).phase = "Cordoned";
          const after = nodes.filter(
            (n) => holdsBudget(n.phase) || (!isFinal(n.phase) && (!n.ready || n.cordonedByOthers)),
          ).length;
          if (s.cordon.length > 0)
            assert.ok(after <= Math.max(s.budget, before), `over budget at step ${step}`);
          assert.ok(nodes.filter((n) => n.controlPlane && holdsBudget(n.phase)).length <= 1);
          if (f.canary && !nodes.some((n) => n.phase === "Done"))
            assert.ok(nodes.filter((n) => holdsBudget(n.phase)).length <= 1, "canary not alone");
          // Work progresses at random speeds; some nodes fail.
          for (const n of nodes) {
            if (n.phase === "Staging" && rand() < 0.5) n.phase = "Staged";
            else if (next[n.phase] && rand() < 0.4)
              n.phase = f.failures && rand() < 0.05 ? "FellBack" : (next[n.phase] ?? n.phase);
          }
          // Things heal, so the fleet can finish.
          if (step > 1_000)
            for (const n of nodes) Object.assign(n, { ready: true, cordonedByOthers: false });
        }
        assert.ok(
          nodes.every((n) => isFinal(n.phase)),
          "every node ends Done, Failed or FellBack",
        );
      }),
      { numRuns: 300 },
    );
  });
});

function byName(nodes: FleetNode[], name: string): FleetNode {
  const n = nodes.find((x) => x.name === name);
  assert.ok(n, name);
  return n;
}
