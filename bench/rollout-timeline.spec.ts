import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { handoffDelays, percentile, takenAt } from "./rollout-timeline";

describe("rollout timeline figures", () => {
  it("pairs the k-th finish with the node that took its slot: the (slots + k)-th", () => {
    // Two slots: nodes taken at 0 and 0; the first finishes at 10, the third node goes at 10.2.
    const taken = [0, 0, 10.2, 21];
    const finished = [10, 20, 30, 40];
    assert.deepEqual(
      handoffDelays(taken, finished, 2).map((d) => Math.round(d * 10) / 10),
      [0.2, 1],
    );
  });

  it("counts nothing once no node is left waiting", () => {
    assert.deepEqual(handoffDelays([0, 0], [5, 6], 2), []);
  });

  it("a node's slot is taken at the first phase that holds the budget it was seen in", () => {
    assert.equal(takenAt({ Staged: 1, Draining: 7, Cordoned: 5, Done: 9 }), 5);
    assert.equal(takenAt({ Staged: 1 }), undefined);
  });

  it("percentiles are of the values as given", () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    assert.equal(percentile(values, 50), 51);
    assert.equal(percentile(values, 99), 100);
  });
});
