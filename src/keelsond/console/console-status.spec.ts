import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { eventually } from "../../testing/eventually";
import { type ConsoleStatus, showStatus, statusLines } from "./console-status";

const status: ConsoleStatus = {
  node: "metal-1",
  state: "running as controlplane of cluster metal",
  version: "0.2.0",
  slot: "B",
  committed: true,
  addresses: ["10.0.2.15", "fd00::15"],
  port: 50000,
  lastFallback: undefined,
};

describe("the console status", () => {
  it("shows the node, its state, image, API addresses and last fallback", () => {
    assert.deepEqual(statusLines(status), [
      "keelson: metal-1: running as controlplane of cluster metal",
      "  image 0.2.0, slot B, committed",
      "  API 10.0.2.15:50000, [fd00::15]:50000",
      "  no fallback to report",
    ]);
    const fellBack = statusLines({
      ...status,
      committed: false,
      addresses: [],
      lastFallback: {
        time: "2026-11-30T08:00:00.000Z",
        fromVersion: "0.3.0",
        toVersion: "0.2.0",
        why: "the health gate timed out",
        acknowledged: false,
      },
    });
    assert.match(fellBack[1] ?? "", /on trial until the health gate passes/);
    assert.match(fellBack[2] ?? "", /port 50000 \(no address yet\)/);
    assert.match(
      fellBack[3] ?? "",
      /fell back from 0\.3\.0 to 0\.2\.0 .*health gate timed out.*upgrade ack/,
    );
  });

  it("writes the status once, and again only when it changes", async () => {
    const written: string[] = [];
    let current = status;
    let samples = 0;
    const stop = showStatus(
      () => {
        samples++;
        return current;
      },
      (t) => written.push(t),
      5,
    );
    try {
      await eventually("a few samples", () => samples >= 4 || undefined);
      assert.equal(written.length, 1, "an unchanged status is not repeated");
      current = { ...status, committed: false };
      await eventually("the change shown", () => written.length === 2 || undefined);
      assert.match(written[1] ?? "", /on trial/);
    } finally {
      stop();
    }
  });

  it("says when the status cannot be read instead of stopping", () => {
    const written: string[] = [];
    showStatus(
      () => {
        throw new Error("STATE is not mounted");
      },
      (t) => written.push(t),
      1 << 30,
    )();
    assert.match(written[0] ?? "", /status cannot be read: STATE is not mounted/);
  });
});
