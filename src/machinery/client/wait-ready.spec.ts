import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import { HealthResponseSchema } from "../api/gen/keelson/machine/v1/machine_pb";
import { KeelsonError } from "../errors";
import { waitingFor, waitUntilReady } from "./wait-ready";

const health = (ready: boolean, kubelet: { state: string; healthy: boolean; message?: string }) =>
  create(HealthResponseSchema, {
    ready,
    bootId: "b1",
    services: [
      { id: "apid", state: "running", healthy: true },
      { id: "kubelet", message: "", ...kubelet },
    ],
  });

describe("waitUntilReady", () => {
  it("reports what the node waits for as it changes, and returns once ready", async () => {
    const answers = [
      () => Promise.reject(new KeelsonError("unavailable", "connect ECONNREFUSED")),
      () => Promise.resolve(health(false, { state: "preparing", healthy: false })),
      () =>
        Promise.resolve(health(false, { state: "running", healthy: false, message: "refused" })),
      () => Promise.resolve(health(true, { state: "running", healthy: true })),
    ];
    const seen: string[] = [];
    let i = 0;
    const result = await waitUntilReady(() => (answers[i++] ?? answers[3])?.() as never, {
      timeoutMs: 5000,
      intervalMs: 1,
      onWaiting: (what) => seen.push(what),
    });
    assert.equal(result.ready, true);
    assert.deepEqual(seen, ["its API", "kubelet (preparing)", "kubelet (not healthy yet)"]);
  });

  it("fails past the timeout naming why, and honours accept", async () => {
    const stale = health(true, { state: "running", healthy: true });
    await assert.rejects(
      waitUntilReady(async () => stale, {
        timeoutMs: 20,
        intervalMs: 5,
        accept: (h) => h.bootId !== "b1",
      }),
      (e: unknown) =>
        e instanceof KeelsonError &&
        e.code === "deadlineExceeded" &&
        /still waiting for a new boot/.test(e.message),
    );
    const stuck = health(false, { state: "running", healthy: false, message: "healthz refused" });
    assert.equal(waitingFor(stuck), "kubelet (not healthy yet)");
    assert.equal(waitingFor(stuck, true), "kubelet (healthz refused)");
    await assert.rejects(
      waitUntilReady(async () => stuck, { timeoutMs: 20, intervalMs: 5 }),
      /kubelet \(healthz refused\)/,
    );
  });
});
