import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { allocateLoopbackSubnet } from "./loopback-subnet";

describe("allocateLoopbackSubnet", () => {
  it("never hands the same subnet to allocations made at once, and holds it while its owner exists", async () => {
    const owner = mkdtempSync(join(tmpdir(), "keelson-owner-"));
    const request = { hosts: [1, 2], ports: [50000], owner };
    const subnets = await Promise.all(
      Array.from({ length: 4 }, () => allocateLoopbackSubnet(request)),
    );
    assert.equal(new Set(subnets.map((s) => s.subnet)).size, 4);
    const again = await allocateLoopbackSubnet(request);
    assert.ok(!subnets.some((s) => s.subnet === again.subnet), "held while the owner exists");
    rmSync(owner, { recursive: true });
    const released = await allocateLoopbackSubnet({ hosts: [1], ports: [50000], owner: tmpdir() });
    assert.ok(
      released.subnet <= Math.min(...subnets.map((s) => s.subnet)),
      "free again once the owner is gone",
    );
  });

  it("skips a subnet where an address is already in use", async () => {
    const probe = await allocateLoopbackSubnet({
      hosts: [3],
      ports: [50000],
      owner: "/nonexistent",
    });
    // The probe's reservation is stale at once (its owner does not exist): occupy the port instead.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(50000, probe.address(3), resolve));
    try {
      const next = await allocateLoopbackSubnet({
        hosts: [3],
        ports: [50000],
        owner: "/nonexistent",
      });
      assert.notEqual(next.subnet, probe.subnet);
    } finally {
      server.close();
    }
  });
});
