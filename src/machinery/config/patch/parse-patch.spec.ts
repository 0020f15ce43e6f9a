import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePatch } from "./parse-patch";

describe("parsePatch", () => {
  it("reads a list of operations as RFC 6902, in YAML or JSON", () => {
    assert.deepEqual(parsePatch('[{"op": "remove", "path": "/machine/hostname"}]'), {
      type: "json",
      operations: [{ op: "remove", path: "/machine/hostname" }],
    });
    assert.equal(parsePatch("- op: add\n  path: /machine/hostname\n  value: n1\n").type, "json");
  });

  it("reads maps, one per document, as strategic merge", () => {
    assert.deepEqual(parsePatch("machine:\n  hostname: n1\n---\ncluster:\n  name: x\n"), {
      type: "strategic",
      documents: [{ machine: { hostname: "n1" } }, { cluster: { name: "x" } }],
    });
  });

  it("reports every malformed operation with its line before applying anything", () => {
    assert.throws(
      () =>
        parsePatch(
          "- op: add\n  path: /a\n- op: frobnicate\n  path: /b\n- op: move\n  path: /c\n",
          "p.yaml",
        ),
      (error: Error) =>
        error.message ===
        [
          "p.yaml has 3 problems:",
          "p.yaml:1:3 [0].value: missing required field (expected the value to use)",
          "p.yaml:3:3 [1].op: expected op add, remove, replace, move, copy or test",
          "p.yaml:5:3 [2].from: missing required field (expected a JSON pointer such as /machine/hostname)",
        ].join("\n"),
    );
  });

  it("reports invalid YAML with its line", () => {
    assert.throws(
      () => parsePatch("machine: [\n"),
      /the patch has 1 problem:\n\d+:\d+ \(document\): invalid YAML/,
    );
  });
});
