import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyJsonPatchToConfig } from "./apply-json-patch-to-config";

describe("applyJsonPatchToConfig", () => {
  it("routes operations on a multi-document config by their first path segment", () => {
    const docs = [
      { kind: "MachineConfig", machine: { type: "worker" } },
      { kind: "ClusterConfig", cluster: { name: "a" } },
    ];
    const result = applyJsonPatchToConfig(docs, [
      { op: "add", path: "/machine/hostname", value: "n1" },
      { op: "replace", path: "/cluster/name", value: "b" },
    ]);
    assert.deepEqual(result, [
      { kind: "MachineConfig", machine: { type: "worker", hostname: "n1" } },
      { kind: "ClusterConfig", cluster: { name: "b" } },
    ]);
    assert.throws(
      () =>
        applyJsonPatchToConfig(
          [docs[0] as object],
          [
            { op: "replace", path: "/kind", value: "x" },
            { op: "add", path: "/cluster/name", value: "b" },
          ],
        ),
      /2 problems:\noperation 0 \(replace \/kind\): the path must start with \/machine, \/etcd or \/cluster\nthe config has no ClusterConfig document to patch/,
    );
  });
});
