import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../api";
import { applyConfiguration } from "./apply";
import { readEntries, recordUpdate } from "./managed-fields";
import { builtinLists } from "./object-fields";

const writer = (manager: string) => ({ manager, apiVersion: "v1", time: "2026-11-29T10:00:00Z" });
const cm = (data: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "c" },
  data,
  ...extra,
});
const owned = (obj: KubeObject, manager: string) =>
  readEntries(obj).find((e) => e.manager === manager)?.fields.size;

describe("server-side apply", () => {
  it("keeps keys named like Object's own properties as data", () => {
    const data = JSON.parse('{"__proto__":"p","constructor":"c","a":"1"}');
    const live = applyConfiguration(
      undefined,
      cm({ b: "0" }),
      writer("alice"),
      builtinLists,
      false,
    );
    const obj = applyConfiguration(live, cm(data), writer("bob"), builtinLists, false);
    assert.deepEqual(Object.keys(obj.data as object).sort(), [
      "__proto__",
      "a",
      "b",
      "constructor",
    ]);
    assert.equal(Object.getPrototypeOf(obj.data), Object.prototype);
  });

  it("creates from the configuration and records exactly its fields in fieldsV1", () => {
    const obj = applyConfiguration(
      undefined,
      cm({ a: "1" }),
      writer("kubectl"),
      builtinLists,
      false,
    );
    assert.deepEqual(obj.data, { a: "1" });
    assert.deepEqual(obj.metadata.managedFields, [
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "v1",
        time: "2026-11-29T10:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { ".": {}, "f:a": {} } },
      },
    ]);
  });

  it("conflicts with another manager's field it would change, naming the manager and the field", () => {
    const live = applyConfiguration(
      undefined,
      cm({ a: "1", b: "1" }),
      writer("alice"),
      builtinLists,
      false,
    );
    assert.throws(
      () => applyConfiguration(live, cm({ a: "2" }), writer("bob"), builtinLists, false),
      (e: unknown) => {
        const error = e as { code: number; message: string; details: { causes: unknown[] } };
        assert.equal(error.code, 409);
        assert.equal(error.message, 'Apply failed with 1 conflict: conflict with "alice": .data.a');
        assert.deepEqual(error.details.causes, [
          { reason: "FieldManagerConflict", message: 'conflict with "alice"', field: ".data.a" },
        ]);
        return true;
      },
    );
    // The same value is no conflict: both own it.
    const shared = applyConfiguration(live, cm({ a: "1" }), writer("bob"), builtinLists, false);
    assert.equal(owned(shared, "alice"), 3);
    assert.equal(owned(shared, "bob"), 2);
  });

  it("takes the field over when forced", () => {
    const live = applyConfiguration(
      undefined,
      cm({ a: "1", b: "1" }),
      writer("alice"),
      builtinLists,
      false,
    );
    const forced = applyConfiguration(live, cm({ a: "2" }), writer("bob"), builtinLists, true);
    assert.deepEqual(forced.data, { a: "2", b: "1" });
    const alice = readEntries(forced).find((e) => e.manager === "alice");
    assert.ok(alice && ![...alice.fields].some((p) => p.endsWith("f:a")));
  });

  it("removes a field its manager stops applying, unless another manager owns it", () => {
    let live = applyConfiguration(
      undefined,
      cm({ a: "1", b: "1" }),
      writer("alice"),
      builtinLists,
      false,
    );
    live = applyConfiguration(live, cm({ a: "1" }), writer("alice"), builtinLists, false);
    assert.deepEqual(live.data, { a: "1" });
    const both = applyConfiguration(live, cm({ a: "1" }), writer("bob"), builtinLists, false);
    const after = applyConfiguration(both, cm({}), writer("alice"), builtinLists, false);
    assert.deepEqual(after.data, { a: "1" }, "bob still owns data.a");
  });

  it("merges keyed lists by their key and reports list paths as the server does", () => {
    const deploy = (containers: object[]): KubeObject => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec: { template: { spec: { containers } } },
    });
    const live = applyConfiguration(
      undefined,
      deploy([{ name: "a", image: "x:1" }]),
      writer("alice"),
      builtinLists,
      false,
    );
    const merged = applyConfiguration(
      live,
      deploy([{ name: "b", image: "y:1" }]),
      writer("bob"),
      builtinLists,
      false,
    );
    assert.deepEqual(
      (
        merged.spec as { template: { spec: { containers: { name: string }[] } } }
      ).template.spec.containers.map((c) => c.name),
      ["a", "b"],
    );
    assert.throws(
      () =>
        applyConfiguration(
          merged,
          deploy([{ name: "a", image: "x:2" }]),
          writer("bob"),
          builtinLists,
          false,
        ),
      /conflict with "alice": \.spec\.template\.spec\.containers\[name="a"\]\.image/,
    );
  });

  it("gives an ordinary update the fields it changed, taking them from the applier", () => {
    const live = applyConfiguration(
      undefined,
      cm({ a: "1", b: "1" }),
      writer("kubectl"),
      builtinLists,
      false,
    );
    const next = { ...structuredClone(live), data: { a: "1", b: "2" } };
    recordUpdate(live, next, writer("editor"), builtinLists);
    const entries = readEntries(next);
    assert.deepEqual(
      entries.map((e) => [e.manager, e.operation, e.fields.size]),
      [
        ["kubectl", "Apply", 2],
        ["editor", "Update", 1],
      ],
    );
    assert.throws(
      () =>
        applyConfiguration(next, cm({ a: "1", b: "3" }), writer("kubectl"), builtinLists, false),
      /conflict with "editor" using v1: \.data\.b/,
    );
  });
});
