import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { formatPath, type PathSegment } from "../schema/config-path";
import { type Fixture, fixture } from "../test-fixtures";
import { stringifyConfig } from "../yaml/stringify-config";
import { validateConfig } from "./validate-config";

type Node = Record<string | number, unknown>;

/** Every path in the config, with whether its value is a map (where fields can be added). */
function paths(
  value: unknown,
  prefix: PathSegment[] = [],
): { path: PathSegment[]; map: boolean; scalar: boolean }[] {
  const here = { path: prefix, map: false, scalar: false };
  if (Array.isArray(value)) return [here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (typeof value === "object" && value !== null)
    return [
      { ...here, map: true },
      ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k])),
    ];
  return [{ ...here, scalar: true }];
}

function set(doc: unknown, path: PathSegment[], value: unknown): void {
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Node)[k], doc) as Node;
  parent[path.at(-1) as PathSegment] = value;
}

describe("validator properties", () => {
  let f: Fixture;
  before(async () => {
    f = await fixture();
  });

  it("any value anywhere: never throws, and every problem has a path and a line in the text", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(1), fc.jsonValue({ maxDepth: 2 }), (pick, doc, value) => {
        const docs = structuredClone(f.controlplane);
        const all = paths(docs[doc]).filter((p) => p.path.length > 0);
        const target = all[pick % all.length];
        if (target) set(docs[doc], target.path, value);
        const text = stringifyConfig(docs);
        const result = validateConfig(text, { strict: true });
        const lines = text.split("\n").length;
        for (const p of result.problems) {
          assert.ok(p.path.length > 0 && p.message.length > 0);
          assert.ok(
            p.line !== undefined && p.line >= 1 && p.line <= lines,
            `line ${p.line} of ${lines}`,
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it("an unknown field or a map where a scalar belongs never passes, and is named by its path", () => {
    const mutation = fc.record({ pick: fc.nat(), doc: fc.nat(1), unknown: fc.boolean() });
    fc.assert(
      fc.property(mutation, ({ pick, doc, unknown }) => {
        const docs = structuredClone(f.worker);
        const candidates = paths(docs[doc]).filter((p) =>
          unknown ? p.map : p.scalar && p.path.length > 2,
        );
        const target = candidates[pick % candidates.length] as { path: PathSegment[] };
        const path = unknown ? [...target.path, "notAField"] : target.path;
        set(docs[doc], path, unknown ? 1 : { notAScalar: true });
        const result = validateConfig(stringifyConfig(docs));
        assert.equal(result.valid, false);
        assert.ok(
          result.problems.some((p) => p.path === formatPath(path)),
          `${formatPath(path)} not in ${result.problems.map((p) => p.path).join(", ")}`,
        );
      }),
      { numRuns: 200 },
    );
  });

  it("random damage to the text never throws", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(40), fc.string({ maxLength: 8 }), (at, cut, insert) => {
        const text = f.workerText;
        const i = at % text.length;
        const damaged = text.slice(0, i) + insert + text.slice(i + cut);
        const result = validateConfig(damaged);
        assert.ok(result.problems.every((p) => (p.line ?? 0) >= 1));
      }),
      { numRuns: 300 },
    );
  });
});
