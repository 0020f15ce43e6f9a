import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { StatusError } from "../api";
import { deployments } from "../resources/apps/workloads";
import { configMaps } from "../resources/core/config";
import { namespaces } from "../resources/core/namespace";
import { pods } from "../resources/core/pod";
import { createPod, quietRegistry } from "../testing";

const cm = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name },
  data,
});

function codeOf(fn: () => unknown): number {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) return error.code;
    throw error;
  }
  return 0;
}

describe("Registry", () => {
  it("stamps uid, creationTimestamp, generation and a rising resourceVersion", () => {
    const registry = quietRegistry();
    const a = registry.create(configMaps, "default", cm("a"));
    const b = registry.create(configMaps, "default", cm("b"));
    assert.match(a.metadata.uid ?? "", /^[0-9a-f-]{36}$/);
    assert.match(a.metadata.creationTimestamp ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(a.metadata.generation, 1);
    assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
  });

  it("answers 409 to a stale update and 409 AlreadyExists to a duplicate create", () => {
    const registry = quietRegistry();
    const first = registry.create(configMaps, "default", cm("a"));
    registry.update(configMaps, "default", "a", { ...first, data: { x: "1" } });
    assert.equal(
      codeOf(() => registry.update(configMaps, "default", "a", { ...first, data: { x: "2" } })),
      409,
    );
    assert.equal(
      codeOf(() => registry.create(configMaps, "default", cm("a"))),
      409,
    );
  });

  it("bumps generation on spec changes only, and ignores status on the main resource", () => {
    const registry = quietRegistry();
    const spec = {
      replicas: 1,
      selector: { matchLabels: { app: "x" } },
      template: {
        metadata: { labels: { app: "x" } },
        spec: { containers: [{ name: "c", image: "i" }] },
      },
    };
    const d = registry.create(deployments, "default", {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "d" },
      spec,
    });
    const labelled = registry.update(deployments, "default", "d", {
      ...d,
      metadata: { ...d.metadata, labels: { a: "b" } },
      status: { replicas: 9 },
    });
    assert.equal(labelled.metadata.generation, 1);
    assert.deepEqual(labelled.status, {});
    const scaled = registry.update(deployments, "default", "d", {
      ...labelled,
      spec: { ...spec, replicas: 3 },
    });
    assert.equal(scaled.metadata.generation, 2);
  });

  it("keeps an object with finalizers until the last one is removed", () => {
    const registry = quietRegistry();
    registry.create(configMaps, "default", {
      ...cm("f"),
      metadata: { name: "f", finalizers: ["example.com/hold"] },
    });
    const result = registry.delete(configMaps, "default", "f");
    assert.equal(result.removed, false);
    assert.ok(registry.get(configMaps, "default", "f").metadata.deletionTimestamp);
    registry.mutate(configMaps, "default", "f", (o) => {
      o.metadata.finalizers = [];
    });
    assert.equal(registry.tryGet(configMaps, "default", "f"), undefined);
  });

  it("deletes a scheduled pod gracefully and an unscheduled one at once", () => {
    const registry = quietRegistry();
    createPod(registry, "bound", { nodeName: "n1", phase: "Running" });
    createPod(registry, "pending");
    assert.equal(registry.delete(pods, "default", "bound").removed, false);
    assert.equal(registry.get(pods, "default", "bound").metadata.deletionGracePeriodSeconds, 30);
    assert.equal(
      registry.delete(pods, "default", "bound", { gracePeriodSeconds: 0 }).removed,
      true,
    );
    assert.equal(registry.delete(pods, "default", "pending").removed, true);
  });

  it("enforces delete preconditions", () => {
    const registry = quietRegistry();
    registry.create(configMaps, "default", cm("p"));
    assert.equal(
      codeOf(() =>
        registry.delete(configMaps, "default", "p", { preconditions: { uid: "other" } }),
      ),
      409,
    );
    assert.equal(
      codeOf(() =>
        registry.delete(configMaps, "default", "p", { preconditions: { resourceVersion: "1" } }),
      ),
      409,
    );
  });

  it("pages a list with limit and continue", () => {
    const registry = quietRegistry();
    for (let i = 0; i < 7; i++) registry.create(configMaps, "default", cm(`c${i}`));
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = registry.list(configMaps, "default", { limit: 3, continue: token ?? null });
      names.push(...page.entries.map((e) => e.name));
      token = page.continue;
    } while (token);
    assert.deepEqual(names, ["c0", "c1", "c2", "c3", "c4", "c5", "c6"]);
    assert.equal(
      codeOf(() => registry.list(configMaps, "default", { continue: "garbage" })),
      400,
    );
  });

  it("applies namespace lifecycle: 404 for a missing namespace, 403 while terminating", () => {
    const registry = quietRegistry();
    assert.equal(
      codeOf(() => registry.create(configMaps, "nowhere", cm("x"))),
      404,
    );
    registry.create(namespaces, "", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "going" },
    });
    registry.create(configMaps, "going", cm("keep"));
    registry.delete(namespaces, "", "going");
    assert.equal(
      registry.get(namespaces, "", "going").status &&
        (registry.get(namespaces, "", "going").status as { phase: string }).phase,
      "Terminating",
    );
    assert.equal(
      codeOf(() => registry.create(configMaps, "going", cm("y"))),
      403,
    );
    assert.equal(
      codeOf(() => registry.delete(namespaces, "", "default")),
      403,
    );
  });

  it("rejects invalid names and wrong kinds", () => {
    const registry = quietRegistry();
    assert.equal(
      codeOf(() => registry.create(configMaps, "default", cm("Not_Valid"))),
      422,
    );
    assert.equal(
      codeOf(() =>
        registry.create(configMaps, "default", {
          apiVersion: "v1",
          kind: "Secret",
          metadata: { name: "s" },
        }),
      ),
      400,
    );
    assert.equal(
      codeOf(() =>
        registry.create(pods, "default", {
          apiVersion: "v1",
          kind: "Pod",
          metadata: { name: "p" },
          spec: {},
        }),
      ),
      422,
    );
  });

  it("generates names from generateName", () => {
    const registry = quietRegistry();
    const obj = registry.create(configMaps, "default", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { generateName: "web-" },
    });
    assert.match(obj.metadata.name ?? "", /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
