import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../errors";
import { applyJsonPatch } from "./apply-json-patch";

describe("applyJsonPatch (RFC 6902)", () => {
  const doc = { a: { b: [1, 2, 3], "x/y": { "~t": 1 } }, c: "keep" };

  it("applies add, remove, replace, move, copy and test in order", () => {
    const result = applyJsonPatch(doc, [
      { op: "test", path: "/c", value: "keep" },
      { op: "add", path: "/a/b/1", value: 9 },
      { op: "add", path: "/a/b/-", value: 4 },
      { op: "remove", path: "/a/b/0" },
      { op: "replace", path: "/a/x~1y/~0t", value: 2 },
      { op: "copy", from: "/a/b", path: "/d" },
      { op: "move", from: "/c", path: "/e" },
    ]);
    assert.deepEqual(result, {
      a: { b: [9, 2, 3, 4], "x/y": { "~t": 2 } },
      d: [9, 2, 3, 4],
      e: "keep",
    });
  });

  it("fails whole, naming the operation, and never modifies the input", () => {
    const before = structuredClone(doc);
    for (const [operations, message] of [
      [
        [
          { op: "add", path: "/a/b/1", value: 0 },
          { op: "remove", path: "/missing" },
        ],
        /operation 1 \(remove \/missing\): no field "missing"/,
      ],
      [[{ op: "replace", path: "/a/b/3", value: 0 }], /no list item 3/],
      [[{ op: "test", path: "/c", value: "other" }], /test failed/],
      [[{ op: "move", from: "/a", path: "/a/b/x" }], /into one of its own children/],
      [[{ op: "add", path: "/a/b/01", value: 0 }], /no list item 01/],
    ] as const) {
      assert.throws(
        () => applyJsonPatch(doc, operations as never),
        (error: unknown) => error instanceof KeelsonError && message.test(error.message),
      );
    }
    assert.deepEqual(doc, before);
  });
});
