import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyStrategicMerge } from "../patch/apply-strategic-merge";
import { fixture } from "../test-fixtures";
import { effectOf } from "./change-effects";
import { classifyChange, needsReboot } from "./classify-change";

describe("classifyChange", () => {
  it("names each changed path, list items by name, and marks it live or reboot", async () => {
    const { worker } = await fixture();
    const after = applyStrategicMerge(worker, [
      {
        machine: {
          hostname: "w1",
          network: {
            interfaces: [
              { name: "eth0", mtu: 9000 },
              { name: "eth1", dhcp: true },
            ],
          },
          ca: {
            crt:
              worker[0] &&
              (worker[0] as { machine: { ca: { crt: string } } }).machine.ca.crt.replace("A", "B"),
          },
          logging: { $patch: "delete" },
        },
      },
    ]);
    const changes = classifyChange(worker, after);
    assert.deepEqual(
      changes.map((c) => `${c.op} ${c.path} ${c.effect}`),
      [
        "replace machine.ca.crt reboot",
        "replace machine.network.interfaces[name=eth0].mtu live",
        "add machine.network.interfaces[name=eth1] live",
        "remove machine.logging live",
        "add machine.hostname live",
      ],
    );
    assert.equal(needsReboot(changes), true);
    assert.equal(needsReboot(changes.filter((c) => c.effect === "live")), false);
    assert.deepEqual(classifyChange(worker, worker), []);
  });

  it("needs a reboot for paths the table does not know", () => {
    assert.equal(effectOf("machine.somethingNew"), "reboot");
    assert.equal(effectOf("cluster.kubernetesVersion"), "live");
    assert.equal(effectOf("cluster.endpoint"), "reboot");
    assert.equal(effectOf("machine.network.interfaces[].mtu"), "live");
  });
});
