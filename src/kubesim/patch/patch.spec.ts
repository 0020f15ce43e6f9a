import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { StatusError } from "../api";
import { applyPatch } from "./apply-patch";
import { applyJsonPatch, PatchError } from "./json-patch";
import { applyMergePatch } from "./merge-patch";
import { applyStrategicMergePatch } from "./strategic-merge";

const json = fc.jsonValue({ maxDepth: 3 });

describe("JSON patch (RFC 6902)", () => {
  it("applies add, replace, remove, move, copy and test", () => {
    const doc = { a: 1, list: [1, 2], nested: { x: "y" } };
    const out = applyJsonPatch(doc, [
      { op: "add", path: "/list/-", value: 3 },
      { op: "replace", path: "/a", value: 2 },
      { op: "copy", from: "/nested", path: "/copied" },
      { op: "move", from: "/nested/x", path: "/moved" },
      { op: "remove", path: "/list/0" },
      { op: "test", path: "/a", value: 2 },
    ]);
    assert.deepEqual(out, { a: 2, list: [2, 3], nested: {}, copied: { x: "y" }, moved: "y" });
    assert.deepEqual(doc, { a: 1, list: [1, 2], nested: { x: "y" } }, "the input is untouched");
  });

  it("fails on a missing path or a failed test", () => {
    assert.throws(() => applyJsonPatch({}, [{ op: "remove", path: "/nope" }]), PatchError);
    assert.throws(
      () => applyJsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]),
      PatchError,
    );
  });

  it("is the identity for add followed by remove of a fresh key", () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc
            .string({ minLength: 1 })
            .filter((k) => !k.includes("/") && !k.includes("~") && k !== "fresh"),
          json,
          { noNullPrototype: true },
        ),
        json,
        (doc, value) => {
          const out = applyJsonPatch(doc, [
            { op: "add", path: "/fresh", value },
            { op: "remove", path: "/fresh" },
          ]);
          assert.deepEqual(out, doc);
        },
      ),
    );
  });
});

describe("JSON merge patch (RFC 7386)", () => {
  it("merges objects, deletes with null, replaces lists", () => {
    assert.deepEqual(
      applyMergePatch({ a: 1, b: { c: 2, d: 3 }, l: [1] }, { a: null, b: { c: 5 }, l: [2, 3] }),
      { b: { c: 5, d: 3 }, l: [2, 3] },
    );
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(json, json, (doc, patch) => {
        const once = applyMergePatch(doc, patch);
        assert.deepEqual(applyMergePatch(once, patch), once);
      }),
    );
  });
});

describe("strategic merge patch", () => {
  const pod = {
    metadata: { labels: { a: "1" }, finalizers: ["x"] },
    spec: {
      containers: [
        { name: "app", image: "nginx:1", env: [{ name: "A", value: "1" }] },
        { name: "side", image: "busybox" },
      ],
      tolerations: [{ key: "t" }],
    },
  };

  it("merges lists by their patch merge key", () => {
    const out = applyStrategicMergePatch(pod, {
      spec: { containers: [{ name: "app", image: "nginx:2", env: [{ name: "B", value: "2" }] }] },
    }) as typeof pod;
    assert.equal(out.spec.containers.length, 2);
    assert.deepEqual(out.spec.containers[0], {
      name: "app",
      image: "nginx:2",
      env: [
        { name: "A", value: "1" },
        { name: "B", value: "2" },
      ],
    });
  });

  it("replaces lists without a strategy and unions finalizers", () => {
    const out = applyStrategicMergePatch(pod, {
      metadata: { finalizers: ["y"] },
      spec: { tolerations: [{ key: "u" }] },
    }) as typeof pod;
    assert.deepEqual(out.spec.tolerations, [{ key: "u" }]);
    assert.deepEqual(out.metadata.finalizers, ["x", "y"]);
  });

  it("honours $patch delete, $patch replace, $deleteFromPrimitiveList and $retainKeys", () => {
    const deleted = applyStrategicMergePatch(pod, {
      spec: { containers: [{ name: "side", $patch: "delete" }] },
    }) as typeof pod;
    assert.deepEqual(
      deleted.spec.containers.map((c) => c.name),
      ["app"],
    );
    const replaced = applyStrategicMergePatch(pod, {
      metadata: { labels: { $patch: "replace", b: "2" } },
    }) as typeof pod;
    assert.deepEqual(replaced.metadata.labels, { b: "2" });
    const pruned = applyStrategicMergePatch(pod, {
      metadata: { "$deleteFromPrimitiveList/finalizers": ["x"] },
    }) as typeof pod;
    assert.deepEqual(pruned.metadata.finalizers, []);
    const retained = applyStrategicMergePatch(
      { spec: { a: 1, b: 2 } },
      { spec: { $retainKeys: ["a", "c"], c: 3 } },
    );
    assert.deepEqual(retained, { spec: { a: 1, c: 3 } });
  });

  it("cordons a node as kubectl does", () => {
    assert.deepEqual(applyStrategicMergePatch({ spec: {} }, { spec: { unschedulable: true } }), {
      spec: { unschedulable: true },
    });
  });

  it("rejects a merge-keyed list item without its key", () => {
    assert.throws(
      () => applyStrategicMergePatch(pod, { spec: { containers: [{ image: "x" }] } }),
      PatchError,
    );
  });
});

describe("applyPatch", () => {
  it("answers 415 for strategic merge on custom resources", () => {
    assert.throws(
      () => applyPatch({}, {}, "application/strategic-merge-patch+json", false),
      (e: unknown) => e instanceof StatusError && e.code === 415,
    );
  });

  it("answers 422 for a patch that does not apply", () => {
    assert.throws(
      () =>
        applyPatch(
          {},
          [{ op: "replace", path: "/x", value: 1 }],
          "application/json-patch+json",
          true,
        ),
      (e: unknown) => e instanceof StatusError && e.code === 422,
    );
  });
});

describe("keys named __proto__", () => {
  // Seen by the merge-patch idempotence property: such keys are data, never the prototype.
  const patch = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;

  it("stay own data properties in all three patch types and pollute nothing", () => {
    const merged = applyMergePatch({ a: 1 }, patch) as Record<string, unknown>;
    const strategic = applyStrategicMergePatch({ a: 1 }, patch) as Record<string, unknown>;
    const json = applyJsonPatch({ a: 1 }, [
      { op: "add", path: "/__proto__", value: { polluted: true } },
    ]) as Record<string, unknown>;
    for (const result of [merged, strategic, json]) {
      assert.ok(Object.hasOwn(result, "__proto__"));
      assert.equal(Object.getPrototypeOf(result), Object.prototype);
      assert.deepEqual(Object.getOwnPropertyDescriptor(result, "__proto__")?.value, {
        polluted: true,
      });
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(applyMergePatch(merged, patch), merged, "idempotent with such keys too");
  });
});
