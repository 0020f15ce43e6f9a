import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { field } from "../api";
import { evictPod } from "../eviction";
import { pods } from "../resources/core/pod";
import { createPdb, createPod, eviction, quietRegistry } from "../testing";
import { bindPod } from "./binding";

/** Freezes a stored version all the way down, so a write that edits it in place throws. */
function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

describe("writes share unchanged parts with the stored version", () => {
  it("never edit a stored version in place", () => {
    const registry = quietRegistry();
    createPod(registry, "a", { phase: "Pending" });
    createPdb(
      registry,
      "web",
      { maxUnavailable: 1 },
      { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1 },
    );
    const versions = () => [
      ...registry.store.table("/pods").all(),
      ...registry.store.table("policy/poddisruptionbudgets").all(),
    ];
    for (const entry of versions()) deepFreeze(entry.obj);
    bindPod(registry, "default", "a", "n1");
    for (const entry of versions()) deepFreeze(entry.obj);
    registry.mutate(
      pods,
      "default",
      "a",
      (pod) => {
        pod.status = { phase: "Running", conditions: [{ type: "Ready", status: "True" }] };
      },
      { subresource: "status" },
    );
    for (const entry of versions()) deepFreeze(entry.obj);
    registry.patch(
      pods,
      "default",
      "a",
      { metadata: { labels: { extra: "yes" } } },
      "application/merge-patch+json",
    );
    for (const entry of versions()) deepFreeze(entry.obj);
    assert.equal(evictPod(registry, "default", "a", eviction("a"), false).code, 201);
    const pod = registry.get(pods, "default", "a");
    assert.equal(field(pod, "spec", "nodeName"), "n1");
    assert.equal(pod.metadata.labels?.extra, "yes");
    assert.ok(pod.metadata.deletionTimestamp);
  });
});
