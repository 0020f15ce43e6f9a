import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { applyJsonPatch } from "../../json-patch/apply-json-patch";
import { formatPointer } from "../../json-patch/json-pointer";
import { createJsonPatch } from "./create-json-patch";
import { createStrategicPatch } from "./create-strategic-patch";
import type { JsonPatchOperation } from "./json-patch-operation";
import { type MergeContext, mergeValue } from "./strategic-merge";

/** Config-shaped values: named lists (interfaces by name, routes by network) among free fields. */
const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: 0, max: 9 }), fc.boolean());
const route = fc.record(
  {
    network: fc.constantFrom("0.0.0.0/0", "10.0.0.0/8", "::/0"),
    metric: fc.option(fc.nat(9), { nil: undefined }),
  },
  { requiredKeys: ["network"] },
);
const link = fc.record(
  {
    name: fc.constantFrom("eth0", "eth1", "eth2", "bond0"),
    mtu: fc.integer({ min: 576, max: 9216 }),
    addresses: fc.array(fc.constantFrom("10.0.0.1/24", "fd00::1/64"), { maxLength: 2 }),
    routes: fc.uniqueArray(route, { selector: (r) => r.network, maxLength: 3 }),
    extra: fc.dictionary(fc.constantFrom("a", "b", "c"), scalar, { maxKeys: 2 }),
  },
  { requiredKeys: ["name"] },
);
const body = fc.record(
  {
    machine: fc.record(
      {
        hostname: fc.string({ maxLength: 5 }),
        network: fc.record(
          {
            interfaces: fc.uniqueArray(link, { selector: (l) => l.name, maxLength: 4 }),
            nameservers: fc.array(scalar, { maxLength: 3 }),
          },
          { requiredKeys: [] },
        ),
        labels: fc.dictionary(fc.string({ maxLength: 3 }), scalar, { maxKeys: 3 }),
      },
      { requiredKeys: [] },
    ),
    other: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);
// As parsed from YAML: no `undefined` fields, ordinary prototypes (fast-check makes null ones).
const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

function merge(base: unknown, patch: unknown): unknown {
  const context: MergeContext = { document: 0, problems: [] };
  const result = mergeValue(base, patch, [], context);
  assert.deepEqual(context.problems, []);
  return result;
}

describe("patch engine properties", () => {
  it("strategic: merging the patch from a to b gives b, and the patch back gives a again", () => {
    fc.assert(
      fc.property(body.map(plain), body.map(plain), (a, b) => {
        const forward = createStrategicPatch(a, b) ?? {};
        const patched = merge(a, forward);
        assert.deepEqual(patched, b);
        assert.deepEqual(merge(patched, createStrategicPatch(patched, a) ?? {}), a);
      }),
      { numRuns: 300 },
    );
  });

  it("strategic: a patch without delete directives is idempotent", () => {
    fc.assert(
      fc.property(body.map(plain), body.map(plain), (a, p) => {
        const once = merge(a, p);
        assert.deepEqual(merge(once, p), once);
      }),
      { numRuns: 300 },
    );
  });

  it("JSON patch: applying the diff from a to b gives b", () => {
    fc.assert(
      fc.property(fc.jsonValue().map(plain), fc.jsonValue().map(plain), (a, b) => {
        assert.deepEqual(applyJsonPatch(a, createJsonPatch(a, b)), b);
      }),
      { numRuns: 300 },
    );
  });

  it("JSON patch: random valid operations, then their inverse, restore the document untouched", () => {
    const doc = fc.dictionary(fc.string({ maxLength: 3 }), fc.jsonValue({ maxDepth: 3 }), {
      minKeys: 1,
    });
    fc.assert(
      fc.property(
        doc.map(plain),
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.jsonValue({ maxDepth: 1 }),
        (a, picks, value) => {
          const original = structuredClone(a);
          let current: unknown = a;
          const operations: JsonPatchOperation[] = [];
          for (const pick of picks) {
            const operation = randomOperation(current, pick, value);
            current = applyJsonPatch(current, [operation]);
            operations.push(operation);
          }
          assert.deepEqual(applyJsonPatch(a, operations), current);
          assert.deepEqual(applyJsonPatch(current, createJsonPatch(current, a)), a);
          assert.deepEqual(a, original);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** An operation valid on `doc`, chosen by `pick` among its existing paths. */
function randomOperation(doc: unknown, pick: number, value: unknown): JsonPatchOperation {
  const paths = allPaths(doc);
  const path = paths[pick % paths.length] ?? [];
  const pointer = formatPointer(path);
  const target = valueAt(doc, path);
  const kind = path.length === 0 ? 0 : pick % 4;
  if (kind === 0 && Array.isArray(target)) return { op: "add", path: `${pointer}/-`, value };
  if (kind === 0 && typeof target === "object" && target !== null)
    return { op: "add", path: `${pointer}/k${pick}`, value };
  if (kind === 1) return { op: "remove", path: pointer };
  if (kind === 3) return { op: "copy", from: pointer, path: `/c${pick}` };
  return { op: "replace", path: pointer, value };
}

function allPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value))
    return [prefix, ...value.flatMap((v, i) => allPaths(v, [...prefix, i]))];
  if (typeof value === "object" && value !== null)
    return [prefix, ...Object.entries(value).flatMap(([k, v]) => allPaths(v, [...prefix, k]))];
  return [prefix];
}

function valueAt(doc: unknown, path: (string | number)[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], doc);
}
