import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { specEncode } from "./grpc-message-encoding";

describe("grpc-message encoding", () => {
  it("leaves printable ASCII but % readable, and round-trips through decodeURIComponent", () => {
    assert.equal(
      specEncode('Read needs role os:admin; "x" (hint)'),
      'Read needs role os:admin; "x" (hint)',
    );
    assert.equal(specEncode("100% → ok"), "100%25 %E2%86%92 ok");
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) =>
        assert.equal(decodeURIComponent(specEncode(text)), text),
      ),
    );
  });
});
