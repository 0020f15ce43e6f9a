import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  drawTimes,
  listScheduleMs,
  lowerBoundMs,
  lptScheduleMs,
  periodicLock,
  serviceMs,
} from "./rollout-model";

const jobs = fc.array(fc.integer({ min: 1, max: 60_000 }), { minLength: 1, maxLength: 300 });
const slots = fc.integer({ min: 1, max: 60 });

describe("rollout model", () => {
  it("draws the same times from the same seed, inside the ranges", () => {
    const drain = { minMs: 5000, maxMs: 20_000 };
    const reboot = { minMs: 10_000, maxMs: 30_000 };
    const a = drawTimes(500, 7, drain, reboot);
    assert.deepEqual(a, drawTimes(500, 7, drain, reboot));
    assert.notDeepEqual(a, drawTimes(500, 8, drain, reboot));
    for (const t of a) {
      assert.ok(t.drainMs >= 5000 && t.drainMs <= 20_000);
      assert.ok(t.rebootMs >= 10_000 && t.rebootMs <= 30_000);
    }
    assert.equal(serviceMs({ drainMs: 3, rebootMs: 4 }), 7);
  });

  it("bounds by the longest job or the work spread over every slot", () => {
    assert.equal(lowerBoundMs([10, 10, 10, 10], 2), 20);
    assert.equal(lowerBoundMs([50, 1, 1], 2), 50);
    // Three jobs of 2 on two slots: the greedy schedule needs 4.
    assert.equal(listScheduleMs([2, 2, 2], 2), 4);
    assert.equal(lptScheduleMs([1, 1, 2], 2), 2);
  });

  it("never schedules below the bound, nor above Graham's bound for list scheduling", () => {
    fc.assert(
      fc.property(jobs, slots, (d, m) => {
        const bound = lowerBoundMs(d, m);
        // LPT is within 4/3 of the optimum, not of this bound: m + 1 equal jobs need twice a job
        // while the bound is (m + 1)/m of one. Any list schedule ends by total/m + (1 - 1/m)·longest.
        const graham = d.reduce((a, b) => a + b, 0) / m + (1 - 1 / m) * Math.max(...d);
        for (const schedule of [listScheduleMs(d, m), lptScheduleMs(d, m)])
          assert.ok(schedule >= bound - 1e-9 && schedule <= graham + 1e-9, `${schedule} ms`);
      }),
      { examples: [[[17843, 29737, 29737, 29737], 3]] },
    );
  });

  it("a periodic lock never has more holders than its concurrency, and checks once per period", () => {
    fc.assert(
      fc.property(jobs, fc.integer({ min: 1, max: 5 }), fc.integer(), (d, c, seed) => {
        const periodMs = 3_600_000;
        const { startsMs, makespanMs } = periodicLock({
          durations: d,
          concurrency: c,
          periodMs,
          seed,
        });
        for (const [i, s] of startsMs.entries()) {
          const holding = startsMs.filter((t, j) => t <= s && s < t + (d[j] ?? 0)).length;
          assert.ok(holding <= c, `node ${i}: ${holding} holders`);
          // A node takes the lock only at one of its checks: the same offset in each period.
          assert.ok(Math.abs((s % periodMs) - ((startsMs[i] ?? 0) % periodMs)) < 1e-6);
        }
        assert.equal(makespanMs, Math.max(...startsMs.map((s, i) => s + (d[i] ?? 0))));
      }),
    );
  });

  it("with the lock never full, every node goes at its first check", () => {
    const d = [1000, 2000, 3000];
    const { startsMs, maxChecks } = periodicLock({
      durations: d,
      concurrency: 50,
      periodMs: 60_000,
      seed: 1,
    });
    assert.equal(maxChecks, 1);
    for (const s of startsMs) assert.ok(s < 60_000);
  });
});
