import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChangeSignal, whenChanged } from "./changes";

describe("change signals", () => {
  it("a change during a pass is not lost: next() with the version read before it resolves at once", async () => {
    const changes = new ChangeSignal();
    const seen = changes.version;
    changes.notify(); // No one waits yet: a worker finished while the pass was listing.
    const started = Date.now();
    await changes.next(5000, undefined, seen);
    assert.ok(Date.now() - started < 1000);
  });

  it("without a change since, next() waits for one", async () => {
    const changes = new ChangeSignal();
    const seen = changes.version;
    let woke = false;
    const waiting = changes.next(5000, undefined, seen).then(() => {
      woke = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(woke, false);
    changes.notify();
    await waiting;
    assert.equal(woke, true);
  });

  it("passes only events whose digest changed, and always deletions and reopened watches", () => {
    const passed: string[] = [];
    const node = (name: string, phase: string, heartbeat: string) => ({
      metadata: { name, annotations: { phase } },
      status: { heartbeat },
    });
    const onEvent = whenChanged(
      (o) => JSON.stringify((o as ReturnType<typeof node>).metadata.annotations),
      (type, o) =>
        passed.push(`${type} ${(o as { metadata?: { name?: string } })?.metadata?.name}`),
    );
    onEvent("ADDED", node("a", "Pending", "1"));
    onEvent("MODIFIED", node("a", "Pending", "2"));
    onEvent("MODIFIED", node("b", "Pending", "2"));
    onEvent("MODIFIED", node("a", "Staged", "3"));
    onEvent("DELETED", node("a", "Staged", "3"));
    onEvent("ADDED", node("a", "Staged", "3"));
    onEvent("REOPEN", undefined);
    onEvent("MODIFIED", node("b", "Pending", "4"));
    assert.deepEqual(passed, [
      "ADDED a",
      "MODIFIED b",
      "MODIFIED a",
      "DELETED a",
      "ADDED a",
      "REOPEN undefined",
      "MODIFIED b",
    ]);
  });
});
