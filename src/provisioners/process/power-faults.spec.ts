import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { type Socket, connect as tcpConnect } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connectMachine, waitUntilReady } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import { processesNaming } from "../../machinery/linux/processes-naming";
import { eventually } from "../../testing/eventually";
import { assertNoSurvivors } from "../../testing/leaks";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";

const root = process.getuid?.() === 0;

/**
 * Faults around power actions on a real local cluster with containerd: the
 * node ends Ready or powered off as asked, nothing of it leaks, and the API
 * says what happened.
 */
describe("power actions under faults", {
  skip: root ? false : "containerd needs root; run the tests as root",
}, () => {
  let cluster: TempCluster;
  const node = (name: string) => {
    const found = cluster.record.nodes.find((n) => n.name === name);
    if (!found) throw new Error(name);
    return found;
  };
  const connect = (name: string) =>
    connectMachine(`${node(name).address}:50000`, cluster.admin, 3000);
  const ready = (name: string) =>
    waitUntilReady(
      async () => {
        const connection = connect(name);
        try {
          return await connection.client.health({});
        } finally {
          connection.close();
        }
      },
      { timeoutMs: 90_000 },
    );

  before(async () => {
    cluster = await startTempCluster({ workers: 2, containerRuntime: true });
  });
  after(async () => {
    const nodes = cluster?.record.nodes ?? [];
    await cluster?.destroy();
    assertNoSurvivors(nodes);
  });

  it("answers a storm of 100 reboot calls in a second with the one reboot in flight", async () => {
    const before = await ready("worker-1");
    const stormStarted = Date.now();
    const connection = connect("worker-1");
    const answers: string[] = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i * 10));
        return connection.client.reboot({}).then(
          (r) => r.message,
          (e: unknown) => {
            const error = KeelsonError.from(e);
            return error.code === "unavailable" ? error.code : `${error.code}: ${error.message}`;
          },
        );
      }),
    );
    connection.close();
    // Answered while the API was up: "is rebooting" once, then "already rebooting"; after it
    // stopped, unavailable. Nothing else.
    const messages = answers.filter((a: string) => a.startsWith("worker-1"));
    assert.equal(
      messages.filter((m) => m === "worker-1 is rebooting").length,
      1,
      messages.join("\n"),
    );
    assert.ok(
      messages.slice(1).every((m) => /is already rebooting \(requested by/.test(m)),
      messages.join("\n"),
    );
    assert.ok(
      answers.every((a: string) => a.startsWith("worker-1") || a === "unavailable"),
      answers.join(", "),
    );
    const after = await ready("worker-1");
    assert.notEqual(after.bootId, before.bootId);
    // Exactly one reboot happened: one request recorded and one boot since the storm began.
    const since: string[] = [];
    const events = connect("worker-1");
    for await (const { event } of events.client.events({ tail: 300 })) {
      if (event?.time && Number(event.time.seconds) * 1000 >= stormStarted - 1000)
        since.push(`${event.kind} ${event.subject} ${event.message}`);
    }
    events.close();
    const count = (pattern: RegExp) => since.filter((e) => pattern.test(e)).length;
    assert.equal(count(/^action reboot reboot requested/), 1, since.join("\n"));
    assert.equal(count(/^node worker-1 booted/), 1, since.join("\n"));
  });

  it("powers off for a shutdown asked during a reboot, leaving nothing of the node", async () => {
    await ready("worker-2");
    const connection = connect("worker-2");
    await connection.client.reboot({});
    const { message } = await connection.client.shutdown({});
    connection.close();
    assert.match(message, /was rebooting; it will power off instead/);
    const launcher = Number(readFileSync(join(node("worker-2").stateDir, "machine.pid"), "utf8"));
    await eventually("the launcher gone", () => !existsSync(`/proc/${launcher}`));
    assertNoSurvivors([node("worker-2")]);
  });

  it("stays ready while one client opens thousands of connections", async () => {
    const sockets: Socket[] = [];
    const { address } = node("cp-1");
    try {
      for (let i = 0; i < 2000; i++) {
        const socket = tcpConnect({ host: address, port: 50000, localAddress: "127.0.0.200" });
        socket.on("error", () => {});
        sockets.push(socket);
      }
      // Those the node accepted beyond its cap of 64 per client address are closed at once
      // (others wait in the kernel's backlog until it gets to them).
      const open = () => sockets.filter((s) => s.readyState === "open").length;
      await eventually("the node accepting some", () => sockets.some((s) => s.destroyed));
      await eventually("at most 64 held open", () => open() <= 64);
      await ready("cp-1");
    } finally {
      for (const socket of sockets) socket.destroy();
    }
    await ready("cp-1");
  });

  it("comes back ready with a clean image store after its agent is killed mid-import", async () => {
    const connection = connect("cp-1");
    const uploadId = "killed-upload-1";
    let offset = 0n;
    for (let i = 0; i < 4; i++) {
      const chunk = new Uint8Array(256 * 1024).fill(i);
      offset = (await connection.client.imageImport({ uploadId, offset, chunk })).receivedBytes;
    }
    connection.close();
    const agent = processesNaming([node("cp-1").stateDir]).find((p) =>
      p.cmdline.includes("keelsond.mjs run"),
    );
    assert.ok(agent);
    process.kill(agent.pid, "SIGKILL");
    await ready("cp-1");
    const again = connect("cp-1");
    // The upload went with the boot (it lived in the node's volatile state): resuming says so.
    await assert.rejects(
      again.client.imageImport({ uploadId, offset, chunk: new Uint8Array(1) }),
      /chunk at offset 1048576, but 0 bytes were received/,
    );
    const images = await again.client.images({ namespace: "system" });
    assert.ok(images.images.some((i) => i.name.includes("healthd")));
    again.close();
  });
});
