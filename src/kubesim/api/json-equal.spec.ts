import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { sameJson } from "./json-equal";

describe("sameJson", () => {
  it("agrees with comparing JSON.stringify output", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        assert.equal(sameJson(a, b), JSON.stringify(a) === JSON.stringify(b));
        assert.equal(sameJson(a, structuredClone(a)), true);
      }),
    );
  });

  it("sees key order, skips undefined members and writes them as null in arrays", () => {
    assert.equal(sameJson({ a: 1, b: 2 }, { b: 2, a: 1 }), false);
    assert.equal(sameJson({ a: 1, b: undefined }, { a: 1 }), true);
    assert.equal(sameJson([undefined], [null]), true);
    assert.equal(sameJson({ n: Number.NaN }, { n: null }), true);
    assert.equal(sameJson([Number.NaN], [Number.POSITIVE_INFINITY]), true);
  });
});
