import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MachineService } from "../api/gen/keelson/machine/v1/machine_pb";
import { isAllowed, rolesFor, rpcRoles } from "./index";

const procedures = MachineService.methods.map((m) => `${MachineService.typeName}/${m.name}`);

describe("rpc roles table", () => {
  it("names only RPCs that exist, so a typo cannot silently fall back to admin-only", () => {
    for (const key of Object.keys(rpcRoles)) assert.ok(procedures.includes(key), key);
  });

  it("lets admin call every RPC, including ones missing from the table", () => {
    for (const p of procedures) assert.ok(isAllowed(p, ["os:admin"]), p);
    assert.deepEqual(rolesFor("keelson.machine.v1.MachineService/NotInTable"), ["os:admin"]);
  });

  it("never gives reader the file RPCs that can expose secrets", () => {
    assert.equal(isAllowed("/keelson.machine.v1.MachineService/Read", ["os:reader"]), false);
    assert.equal(isAllowed("/keelson.machine.v1.MachineService/List", ["os:reader"]), false);
  });

  it("keeps upgrader to reading versions, health and etcd's members, upgrading, rolling back and rebooting", () => {
    const allowed = procedures
      .filter((p) => isAllowed(p, ["os:upgrader"]))
      .map((p) => p.split("/")[1]);
    assert.deepEqual(allowed.sort(), [
      "BootState",
      "CancelUpgrade",
      "EtcdMembers",
      "Health",
      "Reboot",
      "Rollback",
      "Upgrade",
      "UpgradeUpload",
      "Version",
    ]);
  });

  it("denies a certificate with no known role", () => {
    assert.equal(isAllowed("keelson.machine.v1.MachineService/Version", ["dev:guest"]), false);
    assert.equal(isAllowed("keelson.machine.v1.MachineService/Version", []), false);
  });
});
