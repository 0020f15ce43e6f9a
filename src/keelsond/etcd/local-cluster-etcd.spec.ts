import assert from "node:assert/strict";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { eventually } from "../../testing/eventually";
import { runKeelctl } from "../../testing/run-keelctl";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";

interface MembersResult {
  node: string;
  result?: { members: { name: string; healthy: boolean }[]; quorum: boolean };
}

/**
 * etcd on a real local cluster of three control planes: created, bootstrapped
 * on the first and joined by the others, all through the node API. The test
 * command installs Debian's etcd-server.
 */
describe("etcd on a local cluster with three control planes", () => {
  let cluster: TempCluster;
  const keelctl = (...args: string[]) => runKeelctl(cluster.env, ...args);
  const members = async (node: string) => {
    const { stdout } = await keelctl("-n", node, "-o", "json", "etcd", "members");
    return (JSON.parse(stdout) as MembersResult[])[0]?.result;
  };
  const until = (check: () => Promise<boolean | undefined>, what: string) =>
    eventually(what, check);

  before(async () => {
    assert.ok(
      existsSync("/usr/bin/etcd"),
      "etcd-server is installed by the test command (npm test)",
    );
    cluster = await startTempCluster({ controlPlanes: 3, workers: 0 });
  });
  after(async () => {
    await cluster?.destroy();
  });

  it("forms a healthy three-member quorum", async () => {
    await until(async () => {
      const m = await members("cp-1");
      return m?.members.length === 3 && m.members.every((x) => x.healthy) && m.quorum;
    }, "three healthy members");
    assert.deepEqual((await members("cp-2"))?.members.map((m) => m.name).sort(), [
      "cp-1",
      "cp-2",
      "cp-3",
    ]);
  });

  it("streams a snapshot to a client holding only os:etcd:backup", async () => {
    const backup = join(cluster.home, "backup.yaml");
    assert.equal(
      (await keelctl("-n", "cp-1", "config", "new", backup, "--roles", "os:etcd:backup")).code,
      0,
    );
    const file = join(cluster.home, "etcd.snapshot");
    const taken = await keelctl("--config", backup, "-n", "cp-1", "etcd", "snapshot", file);
    assert.equal(taken.code, 0, taken.stderr);
    assert.ok(statSync(file).size > 0);
    const denied = await keelctl("--config", backup, "-n", "cp-1", "etcd", "leave");
    assert.match(denied.stderr, /needs role os:admin/);
  });

  it("keeps quorum when a member is lost, and reports it", async () => {
    await keelctl("-n", "cp-3", "shutdown");
    await until(async () => {
      const m = await members("cp-1");
      return m?.members.find((x) => x.name === "cp-3")?.healthy === false;
    }, "cp-3 is reported unhealthy");
    const m = await members("cp-2");
    assert.equal(m?.quorum, true);
    assert.equal(m?.members.filter((x) => x.healthy).length, 2);
  });
});
