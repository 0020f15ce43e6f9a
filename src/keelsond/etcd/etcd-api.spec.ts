import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createCa } from "../../machinery/pki";
import { startEtcdApi } from "./testing/api-harness";
import { ensureEtcdInstalled } from "./testing/etcd-installed";
import { loopbackSubnet, TestNode } from "./testing/test-node";

const skip = ensureEtcdInstalled();

describe("keelctl bootstrap and keelctl etcd, through the node API", { skip }, () => {
  let node: TestNode;
  let api: Awaited<ReturnType<typeof startEtcdApi>>;
  const result = (stdout: string) =>
    (JSON.parse(stdout) as { result?: Record<string, unknown> }[])[0]?.result;

  before(async () => {
    node = new TestNode("cp-1", (await loopbackSubnet())(1), await createCa("etcd-ca"), () => []);
    node.start();
    api = await startEtcdApi(node.member, node.name, node.address);
  });

  after(async () => {
    await api?.close();
    await node?.dispose();
  });

  it("bootstraps the cluster and lists its one healthy member", async () => {
    const boot = await api.keelctl("-n", "cp-1", "bootstrap");
    assert.equal(boot.exitCode, 0);
    assert.match(String(result(boot.stdout)?.result), /bootstrapped etcd: cp-1/);
    const members = await api.keelctl("-n", "cp-1", "etcd", "members");
    const listed = result(members.stdout) as {
      members: { name: string; healthy: boolean }[];
      quorum: boolean;
    };
    assert.deepEqual(
      listed.members.map((m) => [m.name, m.healthy]),
      [["cp-1", true]],
    );
    assert.equal(listed.quorum, true);
  });

  it("streams a snapshot to a local file and prints its size and sha256", async () => {
    const file = join(api.home, "etcd.snapshot");
    const { stdout, exitCode } = await api.keelctl("-n", "cp-1", "etcd", "snapshot", file);
    assert.equal(exitCode, 0);
    const saved = result(stdout) as { bytes: number; sha256: string };
    const data = readFileSync(file);
    assert.equal(saved.bytes, data.length);
    assert.equal(saved.sha256, createHash("sha256").update(data).digest("hex"));
  });

  it("refuses to let the only member leave, with the reason", async () => {
    const { stdout, exitCode } = await api.keelctl("-n", "cp-1", "etcd", "leave");
    assert.equal(exitCode, 1);
    assert.match(stdout, /no other healthy etcd member/);
  });
});
