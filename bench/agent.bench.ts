// Agent and CLI benchmark: idle RSS of one agent, unary RPC latency on
// loopback, and a cold `keelctl -n <50 nodes> version`. Prints a table and
// writes bench/results.json. Figures, not assertions: the machines are shared.
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { connectMachine } from "../src/machinery/client";
import { smallRequestNodeFlags } from "../src/machinery/platform/runtime-flags";
import { distPath } from "../src/provisioners/dist-path";
import { startTempCluster } from "../src/testing/temp-cluster";

const mib = (kb: number) => kb / 1024;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** Resident, proportional and unique memory of a process, in MiB (smaps_rollup). */
function memoryOf(pid: number) {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
  const kb = (field: string) =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? 0);
  return {
    rss: mib(kb("Rss")),
    pss: mib(kb("Pss")),
    uss: mib(kb("Private_Clean") + kb("Private_Dirty")),
  };
}

/**
 * Idle memory once the agent has settled: V8's memory reducer runs some
 * seconds after boot work stops. The median of ten samples taken 15-25 s
 * after the node is ready.
 */
async function settledMemoryOf(pid: number) {
  await sleep(15_000);
  const samples: ReturnType<typeof memoryOf>[] = [];
  for (let i = 0; i < 10; i++) {
    samples.push(memoryOf(pid));
    await sleep(1000);
  }
  samples.sort((a, b) => a.rss - b.rss);
  return samples[5] ?? memoryOf(pid);
}

/** Version latencies (ms, sorted) from a client process of its own, with keelson's client. */
function rpcLatencies(address: string, cluster: { home: string; admin: object }): number[] {
  const credentials = join(cluster.home, "bench-credentials.json");
  writeFileSync(credentials, JSON.stringify(cluster.admin), { mode: 0o600 });
  const out = execFileSync(process.execPath, [
    ...smallRequestNodeFlags,
    "--import",
    "tsx",
    new URL("./rpc-latency.ts", import.meta.url).pathname,
    address,
    credentials,
  ]);
  return (JSON.parse(out.toString()) as number[]).sort((a, b) => a - b);
}

async function agentFigures() {
  const cluster = await startTempCluster({ workers: 0 });
  try {
    const address = `${cluster.record.nodes[0]?.address}:50000`;
    // Measure after an ordinary boot: the first boot also validated the user data.
    let conn = connectMachine(address, cluster.admin, 5000);
    const { bootId } = await conn.client.health({});
    await conn.client.reboot({});
    conn.close();
    let pid = 0;
    for (let i = 0; i < 200 && !pid; i++) {
      await sleep(100);
      conn = connectMachine(address, cluster.admin, 1000);
      const health = await conn.client.health({}).catch(() => undefined);
      if (health?.ready && health.bootId !== bootId) {
        pid = (await conn.client.serviceList({})).services.find((s) => s.id === "apid")?.pid ?? 0;
      }
      conn.close();
    }
    const early = memoryOf(pid);
    const idle = await settledMemoryOf(pid);
    const latencies = rpcLatencies(address, cluster);
    // Back to idle after the burst, once V8's memory reducer has run.
    await sleep(12_000);
    const afterBurst = memoryOf(pid);
    return {
      early,
      idle,
      afterBurst,
      calls: latencies.length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  } finally {
    await cluster.destroy();
  }
}

async function fanOutFigures(nodes: number) {
  const cluster = await startTempCluster({ workers: nodes - 1 });
  try {
    const names = cluster.record.nodes.map((n) => n.name).join(",");
    const tickets = join(cluster.home, "cache", "tls-sessions.json");
    const run = () => {
      const started = performance.now();
      const out = execFileSync(
        process.execPath,
        [distPath("keelctl.mjs"), "-n", names, "version"],
        { env: cluster.env },
      );
      const rows = out.toString().trim().split("\n").length - 1;
      if (rows !== nodes) throw new Error(`expected ${nodes} rows, got ${rows}`);
      return performance.now() - started;
    };
    // Interleaved, so both series see the same machine: a first run (no
    // session tickets kept, 50 full handshakes) and a run shortly after another.
    const full: number[] = [];
    const resumed: number[] = [];
    for (let i = 0; i < 7; i++) {
      rmSync(tickets, { force: true });
      full.push(run());
      resumed.push(run());
    }
    const start = performance.now();
    execFileSync(process.execPath, ["-e", "0"]);
    const nodeStartMs = performance.now() - start;
    full.sort((a, b) => a - b);
    resumed.sort((a, b) => a - b);
    return {
      medianMs: percentile(resumed, 50),
      bestMs: resumed[0] ?? 0,
      fullHandshakeMedianMs: percentile(full, 50),
      nodeStartMs,
    };
  } finally {
    await cluster.destroy();
  }
}

const agent = await agentFigures();
const fan = await fanOutFigures(50);
const rows = [
  [
    "agent idle RSS (ordinary boot, settled: median 15-25 s after ready)",
    `${agent.idle.rss.toFixed(1)} MiB`,
    "≤ 60 MiB",
  ],
  ["  the same, just after ready", `${agent.early.rss.toFixed(1)} MiB`, ""],
  [
    "  of which its own (USS) / proportional (PSS)",
    `${agent.idle.uss.toFixed(1)} / ${agent.idle.pss.toFixed(1)} MiB`,
    "",
  ],
  [
    `agent RSS idle again after ${agent.calls.toLocaleString("en")} calls`,
    `${agent.afterBurst.rss.toFixed(1)} MiB`,
    "",
  ],
  ["unary RPC p50 (Version, loopback, keelson client)", `${agent.p50.toFixed(2)} ms`, ""],
  ["unary RPC p99 (Version, loopback, keelson client)", `${agent.p99.toFixed(2)} ms`, "≤ 5 ms"],
  ["cold keelctl -n <50 nodes> version (median of 7)", `${fan.medianMs.toFixed(0)} ms`, "≤ 500 ms"],
  ["  best of 7", `${fan.bestMs.toFixed(0)} ms`, ""],
  [
    "  first run, no TLS session tickets kept (median of 7)",
    `${fan.fullHandshakeMedianMs.toFixed(0)} ms`,
    "",
  ],
  ["  bare `node -e 0` start, for scale", `${fan.nodeStartMs.toFixed(0)} ms`, ""],
];
const width = Math.max(...rows.map((r) => r[0]?.length ?? 0));
for (const [name, value, target] of rows)
  console.log(`${name?.padEnd(width)}  ${value?.padStart(10)}  ${target}`);
writeFileSync(
  new URL("./results.json", import.meta.url),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      agentIdleRssMiB: agent.idle.rss,
      agentRssJustAfterReadyMiB: agent.early.rss,
      agentIdleUssMiB: agent.idle.uss,
      agentIdlePssMiB: agent.idle.pss,
      agentRssAfterBurstMiB: agent.afterBurst.rss,
      unaryCalls: agent.calls,
      unaryP50Ms: agent.p50,
      unaryP99Ms: agent.p99,
      coldFanOut50MedianMs: fan.medianMs,
      coldFanOut50BestMs: fan.bestMs,
      coldFanOut50FullHandshakeMedianMs: fan.fullHandshakeMedianMs,
      nodeStartMs: fan.nodeStartMs,
    },
    null,
    2,
  )}\n`,
);
