import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createCa, type PemPair } from "../../machinery/pki";
import { bootstrapEtcd } from "./bootstrap-etcd";
import { ensureEtcdInstalled } from "./testing/etcd-installed";
import { loopbackSubnet, TestNode } from "./testing/test-node";
import { waitHealthy } from "./wait-healthy";

const skip = ensureEtcdInstalled();

describe("etcd snapshots", { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), "keelson-snap-"));
  const nodes: TestNode[] = [];
  let ca: PemPair;
  let address: (host: number) => string;

  before(async () => {
    ca = await createCa("etcd-ca");
    address = await loopbackSubnet();
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("streams a snapshot that restores into a fresh member with the data", async () => {
    const source = new TestNode("cp-1", address(1), ca, () => []);
    nodes.push(source);
    source.start();
    await bootstrapEtcd(source.member, AbortSignal.timeout(30_000));
    await source.member.client.put("/keelson/restored", "from the snapshot");

    const chunks: Buffer[] = [];
    for await (const chunk of source.member.client.snapshot()) chunks.push(chunk);
    assert.ok(chunks.length > 1, "the snapshot arrives in several chunks");
    const file = join(dir, "snapshot.db");
    const data = Buffer.concat(chunks);
    await writeFile(file, data);
    assert.ok(data.length > 4096, `a whole backend, not ${data.length} bytes`);

    // A new member on another address, restored offline as an operator would.
    const fresh = new TestNode("restored", address(2), ca, () => []);
    nodes.push(fresh);
    const peerUrl = fresh.member.peerUrl(fresh.address);
    execFileSync(
      "etcdctl",
      [
        "snapshot",
        "restore",
        file,
        `--name=${fresh.name}`,
        `--data-dir=${fresh.member.paths.data}`,
        `--initial-cluster=${fresh.name}=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
      ],
      { env: { ...process.env, ETCDCTL_API: "3" }, stdio: "pipe" },
    );
    fresh.start();
    await waitHealthy(fresh.member, undefined, 30_000);
    assert.equal(await fresh.member.client.get("/keelson/restored"), "from the snapshot");
  });
});
