import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fixture } from "../test-fixtures";
import { applyStrategicMerge } from "./apply-strategic-merge";
import { createConfigPatch } from "./create-config-patch";

describe("createConfigPatch", () => {
  it("turns one config into another and back, across documents", async () => {
    const { controlplane, worker } = await fixture();
    assert.deepEqual(
      applyStrategicMerge(controlplane, createConfigPatch(controlplane, worker)),
      worker,
    );
    assert.deepEqual(
      applyStrategicMerge(worker, createConfigPatch(worker, controlplane)),
      controlplane,
    );
    const machineOnly = [controlplane[0] as object];
    const dropped = createConfigPatch(controlplane, machineOnly);
    assert.deepEqual(dropped, [
      { apiVersion: "keelson.dev/v1alpha1", kind: "ClusterConfig", $patch: "delete" },
    ]);
    assert.deepEqual(applyStrategicMerge(controlplane, dropped), machineOnly);
    assert.deepEqual(createConfigPatch(worker, worker), []);
  });
});
