import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Node } from "@kubernetes/client-node";
import { NodeCache } from "./node-cache";

const node = (name: string, resourceVersion: string, phase = ""): V1Node => ({
  metadata: { name, resourceVersion, annotations: { phase } },
});
const phases = (cache: NodeCache) =>
  Object.fromEntries(cache.list().map((n) => [n.metadata?.name, n.metadata?.annotations?.phase]));

describe("the engine's Node cache", () => {
  it("keeps the newer copy: a watch event that lags behind a write never puts an older state back", () => {
    const cache = new NodeCache();
    cache.replace([node("a", "10", "Staged")]);
    cache.update(node("a", "12", "Cordoned"));
    cache.update(node("a", "11", "Staged"));
    assert.deepEqual(phases(cache), { a: "Cordoned" });
    cache.update(node("a", "13", "Draining"));
    assert.deepEqual(phases(cache), { a: "Draining" });
  });

  it("takes a full list, keeping only copies newer than it, and dropping Nodes it lacks", () => {
    const cache = new NodeCache();
    cache.update(node("a", "20", "Rebooting"));
    cache.update(node("gone", "5"));
    cache.replace([node("a", "15", "Draining"), node("b", "16")]);
    assert.deepEqual(phases(cache), { a: "Rebooting", b: "" });
  });

  it("is unsynced until listed, and again once its watch was cut", () => {
    const cache = new NodeCache();
    assert.equal(cache.synced, false);
    cache.replace([]);
    assert.equal(cache.synced, true);
    cache.invalidate();
    assert.equal(cache.synced, false);
  });

  it("trusts a list only for so long: a watch can stall without being cut", () => {
    let now = 1000;
    const cache = new NodeCache(60_000, () => now);
    cache.replace([node("a", "1")]);
    now += 59_999;
    assert.equal(cache.synced, true);
    now += 1;
    assert.equal(cache.synced, false);
  });

  it("forgets a deleted Node", () => {
    const cache = new NodeCache();
    cache.replace([node("a", "1"), node("b", "2")]);
    cache.delete("a");
    assert.deepEqual(Object.keys(phases(cache)), ["b"]);
  });
});
