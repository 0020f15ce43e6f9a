import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { LightHeaders } from "./light-headers";

// The tests run without installLightHeaders: the global is Node's own (undici).
const NodeHeaders = globalThis.Headers;
type HeadersInit = ConstructorParameters<typeof Headers>[0];

type Op =
  | { kind: "append" | "set"; name: string; value: string }
  | { kind: "get" | "has" | "delete"; name: string };

const nameChars = fc.constantFrom(..."aAbB-_x!~ :\u00e9\u0100\n".split(""));
const names = fc.oneof(
  fc.constantFrom("content-type", "Content-Type", "grpc-status", "set-cookie", "Set-Cookie"),
  fc.string({ unit: nameChars, minLength: 0, maxLength: 4 }),
);
const valueChars = fc.constantFrom(..."ab ,;\t\r\n\0\u00ff\u0100\u20ac=".split(""));
const values = fc.string({ unit: valueChars, maxLength: 6 });
const ops: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constantFrom("append", "set"), name: names, value: values }),
  fc.record({ kind: fc.constantFrom("get", "has", "delete"), name: names }),
) as fc.Arbitrary<Op>;

/** What a sequence of operations observably does to a Headers object. */
function observe(headers: Headers, sequence: Op[]): unknown[] {
  const seen: unknown[] = [];
  for (const op of sequence) {
    try {
      if (op.kind === "append" || op.kind === "set") headers[op.kind](op.name, op.value);
      else seen.push(headers[op.kind](op.name));
    } catch (error) {
      seen.push(error instanceof TypeError ? "TypeError" : error);
    }
  }
  const forEach: [string, string][] = [];
  headers.forEach((value, name) => {
    forEach.push([name, value]);
  });
  seen.push([...headers], [...headers.keys()], [...headers.values()], forEach);
  seen.push(headers.getSetCookie());
  return seen;
}

describe("LightHeaders", () => {
  it("behaves as Node's own Headers for any sequence of operations", () => {
    fc.assert(
      fc.property(fc.array(ops, { maxLength: 12 }), (sequence) => {
        assert.deepEqual(
          observe(new LightHeaders(), sequence),
          observe(new NodeHeaders(), sequence),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it("builds from the same inits as Node's own Headers", () => {
    const inits: HeadersInit[] = [
      { "Content-Type": "application/grpc", te: "trailers" },
      [
        ["a", "1"],
        ["A", "2"],
      ],
      new NodeHeaders({ b: "x" }),
      new LightHeaders([["c", " padded\t"]]),
    ];
    for (const init of inits)
      assert.deepEqual([...new LightHeaders(init)], [...new NodeHeaders(init)]);
    for (const bad of [[["only-name"]], [["a", "b", "c"]], null] as unknown as HeadersInit[]) {
      assert.throws(() => new NodeHeaders(bad), TypeError);
      assert.throws(() => new LightHeaders(bad), TypeError);
    }
  });

  it("is labelled Headers", () => {
    assert.equal(Object.prototype.toString.call(new LightHeaders()), "[object Headers]");
  });
});
