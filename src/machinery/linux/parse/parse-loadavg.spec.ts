import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../../errors";
import { parseLoadavg } from "./parse-loadavg";
import { parseUptime } from "./parse-uptime";

describe("parseLoadavg", () => {
  it("reads the three averages and the task counts", () => {
    assert.deepEqual(parseLoadavg("0.16 0.20 0.10 1/83 3770\n"), {
      load1: 0.16,
      load5: 0.2,
      load15: 0.1,
      running: 1,
      total: 83,
    });
  });

  it("fails with an internal KeelsonError on garbage", () => {
    assert.throws(
      () => parseLoadavg("0.16 0.20"),
      (e) => e instanceof KeelsonError && e.code === "internal",
    );
    assert.throws(() => parseLoadavg("a b c 1/2 3"), KeelsonError);
  });
});

describe("parseUptime", () => {
  it("reads seconds up and seconds idle", () => {
    assert.deepEqual(parseUptime("388.14 702.64\n"), {
      uptimeSeconds: 388.14,
      idleSeconds: 702.64,
    });
  });

  it("fails on an empty file", () => {
    assert.throws(() => parseUptime(""), KeelsonError);
  });
});
