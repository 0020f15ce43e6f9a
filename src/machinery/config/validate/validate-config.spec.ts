import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { KeelsonError } from "../../errors";
import { type Fixture, fixture } from "../test-fixtures";
import { formatProblems } from "./problem";
import { loadConfig, validateConfig } from "./validate-config";

describe("validateConfig", () => {
  let f: Fixture;
  before(async () => {
    f = await fixture();
  });

  it("accepts generated configs, strict and with the right role and cluster", () => {
    for (const [text, role] of [
      [f.controlplaneText, "controlplane"],
      [f.workerText, "worker"],
    ] as const) {
      const result = validateConfig(text, {
        strict: true,
        expectRole: role,
        expectCluster: "demo",
      });
      assert.deepEqual(result.problems, []);
      assert.equal(result.valid, true);
      assert.deepEqual(
        result.documents.map((d) => d.kind),
        ["MachineConfig", "ClusterConfig"],
      );
    }
  });

  it("reports every problem at once, each with its path, line and column", () => {
    const text = f.workerText
      .replace("        mtu: 1500", "        mtu: 99999\n        mtuu: 3")
      .replace("level: info", "level: loud");
    const result = validateConfig(text);
    assert.equal(result.valid, false);
    const lines = text.split("\n");
    const byPath = new Map(result.problems.map((p) => [p.path, p]));
    const mtu = byPath.get("machine.network.interfaces[0].mtu");
    assert.equal(mtu?.message, "expected a whole number from 576 to 9216");
    assert.equal(lines[(mtu?.line ?? 0) - 1], "        mtu: 99999");
    assert.equal(mtu?.column, 9);
    assert.match(
      byPath.get("machine.network.interfaces[0].mtuu")?.message ?? "",
      /unknown field "mtuu"/,
    );
    assert.equal(
      byPath.get("machine.logging.level")?.message,
      "expected debug, info, warn or error",
    );
    assert.equal(result.problems.length, 3);
  });

  it("refuses unknown kinds, a second MachineConfig and a missing one", () => {
    const unknown = validateConfig(
      `${f.workerText}---\napiVersion: keelson.dev/v1alpha1\nkind: Mystery\n`,
    );
    assert.match(formatProblems(unknown.problems), /kind: unknown kind "Mystery"/);
    const twice = validateConfig(`${f.workerText}---\n${f.workerText}`);
    assert.ok(twice.problems.some((p) => /a second MachineConfig/.test(p.message)));
    const none = validateConfig(
      "apiVersion: keelson.dev/v1alpha1\nkind: ClusterConfig\ncluster: {}\n",
    );
    assert.ok(none.problems.some((p) => /missing the MachineConfig/.test(p.message)));
  });

  it("reports YAML syntax errors with their line, and no noise about missing documents", () => {
    const result = validateConfig("machine:\n  type: [worker\n  hostname: a\n");
    assert.equal(result.valid, false);
    assert.ok(result.problems.every((p) => p.message.startsWith("invalid YAML")));
    assert.ok(result.problems.every((p) => (p.line ?? 0) >= 2));
  });

  it("enforces role rules: workers carry no etcd and no CA keys", () => {
    const cpMachine = f.controlplaneText.split(/^---\n/m)[0] ?? "";
    const workerCluster = f.workerText.split(/^---\n/m)[1] ?? "";
    const text = `${cpMachine.replace("type: controlplane", "type: worker")}---\n${workerCluster}`;
    const paths = validateConfig(text).problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(paths.includes("etcd: workers run no etcd; remove this section"));
    assert.ok(paths.includes("machine.ca.key: only control planes carry the CA key"));
  });

  it("refuses a config for the wrong role or cluster, even when other fields are wrong too", () => {
    const text = f.workerText.replace("level: info", "level: loud");
    const result = validateConfig(text, { expectRole: "controlplane", expectCluster: "prod" });
    const messages = result.problems.map((p) => `${p.path}: ${p.message}`);
    assert.ok(
      messages.includes(
        "machine.type: this config is for a worker, but the node is a controlplane",
      ),
    );
    assert.ok(
      messages.includes(
        'cluster.name: this config is for cluster "demo", but the node belongs to "prod"',
      ),
    );
    assert.ok(messages.some((m) => m.startsWith("machine.logging.level")));
  });

  it("checks certificates: a key that does not match its CA is an error", () => {
    const otherKey = f.secrets.certs.etcd.key;
    const [machine, cluster] = f.controlplane as [object, object];
    const swapped = structuredClone(machine) as { machine: { ca: { key: string } } };
    swapped.machine.ca.key = otherKey;
    const result = validateConfig(`${JSON.stringify(swapped)}\n---\n${JSON.stringify(cluster)}\n`);
    assert.deepEqual(
      result.problems.map((p) => `${p.path}: ${p.message}`),
      ["machine.ca.key: does not match crt"],
    );
  });

  it("turns recommendations into errors only with strict", () => {
    const text = f.workerText.replace(/ {2}time:\n {4}servers:\n {6}- time.cloudflare.com\n/, "");
    const lax = validateConfig(text);
    assert.equal(lax.valid, true);
    assert.deepEqual(
      lax.problems.map((p) => [p.path, p.severity]),
      [["machine.time", "warning"]],
    );
    const strict = validateConfig(text, { strict: true });
    assert.equal(strict.valid, false);
    assert.match(strict.problems[0]?.message ?? "", /no time servers/);
  });

  it("loadConfig throws one invalidArgument error listing every problem, one per line", () => {
    const text = f.workerText.replace("level: info", "level: loud").replace("mtu: 1500", "mtu: 1");
    assert.throws(
      () => loadConfig(text, { file: "worker.yaml" }),
      (error: unknown) =>
        error instanceof KeelsonError &&
        error.code === "invalidArgument" &&
        /^worker\.yaml has 2 problems:\nworker\.yaml:\d+:\d+ machine\.network\.interfaces\[0\]\.mtu: .+\nworker\.yaml:\d+:\d+ machine\.logging\.level: /.test(
          error.message,
        ),
    );
  });
});
