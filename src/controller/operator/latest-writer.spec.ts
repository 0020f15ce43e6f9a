import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LatestWriter } from "./latest-writer";

describe("writing the latest value", () => {
  it("writes one at a time, collapses a burst to its last value, and never writes an older one last", async () => {
    const written: number[] = [];
    let inFlight = 0;
    let most = 0;
    const writer = new LatestWriter(async (n: number) => {
      most = Math.max(most, ++inFlight);
      await new Promise((r) => setImmediate(r));
      written.push(n);
      inFlight--;
    }, 20);
    for (let i = 1; i <= 100; i++) writer.offer(i);
    await writer.flush();
    writer.offer(101);
    writer.offer(102);
    await writer.flush();
    assert.equal(most, 1);
    assert.deepEqual(written, [1, 100, 102]);
  });

  it("goes on after a failed write, and writes nothing once closed", async () => {
    const written: number[] = [];
    const writer = new LatestWriter(async (n: number) => {
      if (n === 1) throw new Error("the API server is away");
      written.push(n);
    }, 0);
    writer.offer(1);
    await writer.flush();
    writer.offer(2);
    await writer.flush();
    writer.close();
    writer.offer(3);
    await writer.flush();
    assert.deepEqual(written, [2]);
  });
});
