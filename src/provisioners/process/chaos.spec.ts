import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type ChaosAction, chaosTrial, seededRandom, type TrialResult } from "../../testing/chaos";
import { assertNoSurvivors } from "../../testing/leaks";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";

const trialsPerNode = 16;
const actions: ChaosAction[] = ["reboot", "kill-agent", "kill-containerd"];
const root = process.getuid?.() === 0;

describe("process nodes under chaos", {
  skip: root ? false : "containerd needs root; run the tests as root",
}, () => {
  let cluster: TempCluster;
  before(async () => {
    cluster = await startTempCluster({
      workers: 1,
      containerRuntime: true,
      kubernetes: { timeScale: 0.2 },
    });
  });
  after(async () => {
    const nodes = cluster?.record.nodes ?? [];
    await cluster?.destroy();
    assertNoSurvivors(nodes);
  });

  it(`reboots and kills nodes at random moments of their boot and work (${trialsPerNode * 2} trials): every node ends Ready, nothing leaks`, async () => {
    const seed = Number(process.env.CHAOS_SEED) || Math.floor(Math.random() * 2 ** 31);
    const random = seededRandom(seed);
    const options = {
      credentials: cluster.admin,
      kubelet: true,
      containerRuntime: true,
      etcd: true,
      maxDelayMs: 4000,
    };
    // Each node runs its own chain of trials; the two chains run at once.
    const results = (
      await Promise.all(
        cluster.record.nodes.map(async (node) => {
          const mine: TrialResult[] = [];
          for (let i = 0; i < trialsPerNode; i++) {
            const action = actions[Math.floor(random() * actions.length)] ?? "reboot";
            mine.push(await chaosTrial(node, action, random, options));
          }
          return mine;
        }),
      )
    ).flat();
    const failed = results.filter((r) => !r.ready || r.leaks.length > 0);
    assert.deepEqual(failed, [], `seed ${seed}: ${JSON.stringify(failed, null, 2)}`);
    assert.ok(
      results.some((r) => r.action === "kill-agent" && r.delayMs < 1500),
      `seed ${seed}: some kills landed during boot`,
    );
  });
});
