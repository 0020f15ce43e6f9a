// Chaos benchmark (npm run chaos): 500 trials on a local cluster of process
// nodes with containerd, etcd and kubesim. Each trial reboots a node, waits
// a random moment of its boot or its work, then reboots it through the API,
// SIGKILLs its agent or SIGKILLs its containerd, and measures how long the
// node takes to be Ready again and whether anything leaked. Prints a summary
// and writes bench/chaos-results.json. Figures, not assertions.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ChaosAction, chaosTrial, seededRandom, type TrialResult } from "../src/testing/chaos";
import { survivors } from "../src/testing/leaks";
import { startTempCluster } from "../src/testing/temp-cluster";

const trials = Number(process.env.CHAOS_TRIALS) || 500;
const seed = Number(process.env.CHAOS_SEED) || Math.floor(Math.random() * 2 ** 31);
const actions: ChaosAction[] = ["reboot", "kill-agent", "kill-containerd"];

const started = Date.now();
const cluster = await startTempCluster({
  workers: 2,
  containerRuntime: true,
  kubernetes: { timeScale: 0.2 },
});
const random = seededRandom(seed);
const options = { credentials: cluster.admin, kubelet: true, containerRuntime: true, etcd: true };
const results: TrialResult[] = [];
let next = 0;
try {
  // One chain of trials per node, all at once; the trial budget is shared.
  await Promise.all(
    cluster.record.nodes.map(async (node) => {
      while (next < trials) {
        next++;
        const action = actions[Math.floor(random() * actions.length)] ?? "reboot";
        const result = await chaosTrial(node, action, random, options);
        results.push(result);
        if (results.length % 25 === 0 || !result.ready || result.leaks.length > 0)
          process.stderr.write(`${results.length}/${trials} ${JSON.stringify(result)}\n`);
      }
    }),
  );
} finally {
  await cluster.destroy();
}
const afterDestroy = survivors(cluster.record.nodes);

const ready = results.filter((r) => r.ready).length;
const recoveries = results
  .filter((r) => r.ready)
  .map((r) => r.recoveryMs)
  .sort((a, b) => a - b);
const at = (p: number) =>
  recoveries[Math.min(recoveries.length - 1, Math.floor(p * recoveries.length))] ?? 0;
const byAction = Object.fromEntries(
  actions.map((a) => [a, results.filter((r) => r.action === a).length]),
);
const summary = {
  date: new Date().toISOString(),
  seed,
  trials: results.length,
  nodes: cluster.record.nodes.length,
  endedReady: ready,
  notReady: results.filter((r) => !r.ready).map((r) => `${r.node} ${r.action}: ${r.error}`),
  leaks: results.reduce((n, r) => n + r.leaks.length, 0) + afterDestroy.length,
  leakDetails: [
    ...results.flatMap((r) => r.leaks),
    ...afterDestroy.map((p) => `after destroy: ${p.cmdline}`),
  ],
  recoveryMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), slowest: recoveries.at(-1) ?? 0 },
  actions: byAction,
  landedWithinMs: 4000,
  durationSeconds: Math.round((Date.now() - started) / 1000),
};
writeFileSync(
  join(import.meta.dirname, "chaos-results.json"),
  `${JSON.stringify(summary, null, 2)}\n`,
);
console.log(`
chaos: ${summary.trials} trials on ${summary.nodes} process nodes (containerd, etcd, kubesim), seed ${seed}
  actions            ${Object.entries(byAction)
    .map(([a, n]) => `${a} ${n}`)
    .join(", ")}
  ended Ready        ${ready} / ${summary.trials}
  recovery           p50 ${summary.recoveryMs.p50} ms, p90 ${summary.recoveryMs.p90} ms, p99 ${summary.recoveryMs.p99} ms, slowest ${summary.recoveryMs.slowest} ms
  leaks              ${summary.leaks}
  took               ${summary.durationSeconds} s
written to bench/chaos-results.json`);
if (summary.leaks > 0 || ready < summary.trials) process.exitCode = 1;
