import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { forecastFinish } from "./forecast";

const minute = 60_000;
const monday = Date.parse("2026-11-30T00:00:00Z");
const base = {
  now: monday,
  controlPlanes: 0,
  workers: 0,
  inFlight: 0,
  parallel: 1,
  nodeMs: 10 * minute,
  windows: [],
};

describe("the finish forecast", () => {
  it("plays control planes one at a time, then the rest in parallel", () => {
    assert.equal(forecastFinish(base), monday);
    assert.equal(forecastFinish({ ...base, controlPlanes: 3 }), monday + 30 * minute);
    assert.equal(forecastFinish({ ...base, workers: 10, parallel: 5 }), monday + 20 * minute);
    assert.equal(
      forecastFinish({ ...base, controlPlanes: 1, workers: 10, parallel: 5 }),
      monday + 30 * minute,
    );
    // Two nodes half done hold two of the three places for 5 min.
    assert.equal(
      forecastFinish({ ...base, workers: 3, inFlight: 2, parallel: 3 }),
      monday + 15 * minute,
    );
  });

  it("lets the canary go alone and soak first", () => {
    assert.equal(
      forecastFinish({ ...base, workers: 11, parallel: 5, canarySoakMs: 5 * minute }),
      monday + 35 * minute,
    );
  });

  it("starts nodes only inside windows, letting a started node finish", () => {
    const windows = [{ days: ["Mon" as const], start: "02:00", duration: "15m" }];
    // 02:00 and 02:10 start inside the window; the third waits a week.
    const finish = forecastFinish({ ...base, workers: 3, windows });
    assert.equal(finish, monday + 7 * 24 * 60 * minute + 2 * 60 * minute + 10 * minute);
    assert.equal(
      forecastFinish({
        ...base,
        workers: 1,
        windows: [{ days: [], start: "02:00", duration: "0s" }],
      }),
      undefined,
    );
  });
});
