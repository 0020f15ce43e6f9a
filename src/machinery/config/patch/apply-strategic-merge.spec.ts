import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../../errors";
import { applyStrategicMerge } from "./apply-strategic-merge";

const base = [
  {
    apiVersion: "keelson.dev/v1alpha1",
    kind: "MachineConfig",
    machine: {
      type: "worker",
      network: {
        interfaces: [
          { name: "eth0", mtu: 1500, routes: [{ network: "0.0.0.0/0", gateway: "10.0.0.1" }] },
          { name: "eth1", dhcp: true },
        ],
        nameservers: ["1.1.1.1", "8.8.8.8"],
      },
      logging: { level: "info" },
    },
  },
  { apiVersion: "keelson.dev/v1alpha1", kind: "ClusterConfig", cluster: { name: "demo" } },
];

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof KeelsonError);
    assert.equal(error.code, "invalidArgument");
    return error.message.split("\n").slice(1);
  }
  assert.fail("expected the patch to fail");
};

describe("applyStrategicMerge", () => {
  it("merges named list items by key, replaces value lists, and leaves the input untouched", () => {
    const before = structuredClone(base);
    const [machine] = applyStrategicMerge(base, [
      {
        machine: {
          network: {
            interfaces: [
              {
                name: "eth0",
                mtu: 9000,
                routes: [{ network: "10.1.0.0/16", gateway: "10.0.0.2" }],
              },
              { name: "eth2", dhcp: true },
            ],
            nameservers: ["9.9.9.9"],
          },
        },
      },
    ]);
    assert.deepEqual(machine?.machine, {
      type: "worker",
      network: {
        interfaces: [
          {
            name: "eth0",
            mtu: 9000,
            routes: [
              { network: "0.0.0.0/0", gateway: "10.0.0.1" },
              { network: "10.1.0.0/16", gateway: "10.0.0.2" },
            ],
          },
          { name: "eth1", dhcp: true },
          { name: "eth2", dhcp: true },
        ],
        nameservers: ["9.9.9.9"],
      },
      logging: { level: "info" },
    });
    assert.deepEqual(base, before);
  });

  it("removes map keys, list items and documents with $patch: delete", () => {
    const result = applyStrategicMerge(base, [
      {
        machine: {
          logging: { $patch: "delete" },
          network: { interfaces: [{ name: "eth1", $patch: "delete" }] },
        },
      },
      { apiVersion: "keelson.dev/v1alpha1", kind: "ClusterConfig", $patch: "delete" },
    ]);
    assert.equal(result.length, 1);
    const machine = result[0]?.machine as {
      logging?: unknown;
      network: { interfaces: { name: string }[] };
    };
    assert.equal(machine.logging, undefined);
    assert.deepEqual(
      machine.network.interfaces.map((i) => i.name),
      ["eth0"],
    );
  });

  it("replaces a map or a named list with $patch: replace", () => {
    const [machine] = applyStrategicMerge(base, [
      {
        kind: "MachineConfig",
        machine: {
          network: { interfaces: [{ $patch: "replace" }, { name: "bond0", dhcp: true }] },
        },
      },
    ]);
    assert.deepEqual((machine?.machine as { network: unknown } | undefined)?.network, {
      interfaces: [{ name: "bond0", dhcp: true }],
      nameservers: ["1.1.1.1", "8.8.8.8"],
    });
  });

  it("creates a document a patch names by kind when the config lacks it", () => {
    const result = applyStrategicMerge([base[0] as object], [{ cluster: { name: "new" } }]);
    assert.deepEqual(result[1], {
      apiVersion: "keelson.dev/v1alpha1",
      kind: "ClusterConfig",
      cluster: { name: "new" },
    });
  });

  it("reports every problem: missing keys and items, conflicts, unknown sections and kinds", () => {
    const problems = problemsOf(() =>
      applyStrategicMerge(base, [
        {
          machine: {
            hostname: { $patch: "delete" },
            network: {
              interfaces: [
                { name: "eth9", $patch: "delete" },
                { name: "eth0" },
                { name: "eth0", mtu: 1 },
              ],
            },
            logging: { level: "debug", $patch: "explode" },
          },
          bogus: {},
        },
        { kind: "Nope" },
      ]),
    );
    assert.deepEqual(problems, [
      'bogus: unknown section "bogus"; give kind, or patch one of machine, etcd, cluster',
      "machine.hostname: cannot delete: no such field",
      'machine.network.interfaces[0]: cannot delete: no item with name "eth9"',
      'machine.network.interfaces[2]: conflicting patch: name "eth0" appears twice',
      'machine.logging.$patch: unknown directive "explode" (expected merge, replace or delete)',
      'kind: unknown kind "Nope" (expected one of MachineConfig, ClusterConfig)',
    ]);
  });
});
