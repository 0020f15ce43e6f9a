import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { Client } from "@connectrpc/connect";

import type { MachineService } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { connectMachine } from "../../machinery/client";
import { loadConfig, patchConfigText } from "../../machinery/config";
import { eventually } from "../../testing/eventually";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";

/**
 * The agent is killed with SIGKILL at random moments while configurations
 * are being applied; its machine launcher restarts it. Every time, the node
 * must come back running one whole, valid revision, and its history must
 * read back whole.
 */
describe("configuration durability under SIGKILL of the agent", () => {
  let cluster: TempCluster;
  const address = () => `${cluster.record.nodes[0]?.address}:50000`;

  before(async () => {
    cluster = await startTempCluster({ workers: 0 });
  });
  after(async () => {
    await cluster?.destroy();
  });

  function whenUp(): Promise<{ client: Client<typeof MachineService>; close(): void }> {
    return eventually("the agent back", async () => {
      const connection = connectMachine(address(), cluster.admin, 1000);
      try {
        await connection.client.version({});
        return connection;
      } catch (error) {
        connection.close();
        throw error;
      }
    });
  }

  it("always restarts into one whole revision", async () => {
    let killed = 0;
    for (let round = 0; round < 10; round++) {
      const connection = await whenUp();
      const { client } = connection;
      const pid = (await client.serviceList({})).services.find((s) => s.id === "apid")?.pid ?? 0;
      const base = (await client.getConfiguration({})).data;
      // Applies back to back until the agent dies under them.
      const applying = (async () => {
        for (let i = 0; ; i++) {
          const level = ["debug", "info", "warn", "error"][i % 4];
          const data = patchConfigText(base, [
            { type: "strategic", documents: [{ machine: { logging: { level } } }] },
          ]);
          await client.applyConfiguration({ data });
        }
      })().catch(() => undefined);
      await sleep(20 + Math.floor(Math.random() * 180));
      process.kill(pid, "SIGKILL");
      killed++;
      await applying;
      connection.close();

      const back = await whenUp();
      const live = await back.client.getConfiguration({});
      assert.ok(loadConfig(live.data).length >= 1, "the configuration in force is valid");
      const history = await back.client.configurationHistory({});
      assert.equal(history.committed, live.revision);
      for (const r of history.revisions) {
        const stored = await back.client.getConfiguration({ revision: r.revision });
        assert.equal(stored.info?.digest, r.digest);
      }
      back.close();
    }
    assert.equal(killed, 10);
  });
});
