import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createCa } from "../../machinery/pki";
import { bootstrapEtcd } from "./bootstrap-etcd";
import { EtcdClient } from "./etcd-client";
import { ensureEtcdInstalled } from "./testing/etcd-installed";
import { loopbackSubnet, TestNode } from "./testing/test-node";

const skip = ensureEtcdInstalled();

describe("etcd faults", () => {
  const nodes: TestNode[] = [];
  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it("reports a corrupt data dir as a failed service with etcd's reason; the rest runs on", {
    skip,
  }, async () => {
    const node = new TestNode(
      "cp-1",
      (await loopbackSubnet())(1),
      await createCa("etcd-ca"),
      () => [],
    );
    nodes.push(node);
    node.start();
    await bootstrapEtcd(node.member, AbortSignal.timeout(30_000));
    await node.stop();
    writeFileSync(join(node.member.paths.data, "member", "snap", "db"), "not a bbolt database");

    node.start();
    const reason = /etcd exited with code \d+: failed to open database: invalid database/;
    await node.until("failed with a reason", (s) => reason.test(s.healthMessage) && !s.healthy);
    await node.until("failed", (s) => s.state === "failed" && s.restarts > 0);
    assert.equal(node.service("bystander").state, "running");
  });

  it("fails a call to an endpoint that accepts and never answers within its deadline", async () => {
    const silent = await listen();
    try {
      const { port } = silent.server.address() as { port: number };
      const client = new EtcdClient(`https://127.0.0.1:${port}`, noTls, 300);
      await assert.rejects(client.status(), { code: "deadlineExceeded" });
      await assert.rejects(client.members({ timeoutMs: 200 }), /did not answer within 200 ms/);
      const chunks = client.snapshot({ timeoutMs: 200 });
      await assert.rejects(chunks.next(), { code: "deadlineExceeded" });
    } finally {
      for (const socket of silent.sockets) socket.destroy();
      silent.server.close();
    }
  });

  it("fails a call to a closed port as unavailable", async () => {
    const silent = await listen();
    const { port } = silent.server.address() as { port: number };
    silent.server.close();
    const client = new EtcdClient(`https://127.0.0.1:${port}`, noTls, 2000);
    await assert.rejects(client.status(), { code: "unavailable", message: /unreachable/ });
  });
});

async function noTls() {
  return { ca: "", cert: "", key: "" };
}

function listen(): Promise<{ server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, sockets })),
  );
}
