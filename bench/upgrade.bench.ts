// Upgrade benchmark (npm run bench:upgrade): on a local cluster of one
// process node with kubesim, measures an upgrade from the Upgrade call to
// committed, phase by phase (the bundle fetched over HTTP); how long a broken
// v3 of each kind takes from its first boot back to running v2; and the
// agent's resident memory while it writes 50 MB and 500 MB bundles (streamed:
// it must not grow with the bundle). Prints figures and writes
// bench/upgrade-results.json. Figures, not assertions.
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import {
  createReadStream,
  createWriteStream,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { writeBundle } from "../src/machinery/bundle";
import { connectMachine } from "../src/machinery/client";
import { hostArchitecture } from "../src/machinery/platform/host-architecture";
import { clusterDir } from "../src/machinery/platform/keelson-home";
import { distPath } from "../src/provisioners/dist-path";
import { programFiles } from "../src/provisioners/image/agent-files";
import { buildProcessImage } from "../src/provisioners/image/process-image";
import type { TestFault } from "../src/provisioners/image/test-faults";
import { runKeelctl } from "../src/testing/run-keelctl";
import { startTempCluster } from "../src/testing/temp-cluster";

const started = Date.now();
const cluster = await startTempCluster({
  controlPlanes: 1,
  workers: 0,
  kubernetes: { timeScale: 0.2 },
  watchdogSeconds: 5,
});
const node = cluster.record.nodes[0] ?? process.exit(1);
const address = `${node.address}:50000`;
process.env.KEELSON_HOME = cluster.home;
const key = readFileSync(join(clusterDir(cluster.record.name), "signing-key.pem"), "utf8");
const work = join(cluster.home, "bench");
mkdirSync(work, { recursive: true });
const server = createServer((req, res) => {
  const path = join(work, req.url ?? "/");
  res.writeHead(200, { "content-length": statSync(path).size });
  createReadStream(path).pipe(res);
});
server.listen(0, "127.0.0.1");
await once(server, "listening");
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const client = (timeoutMs = 5000) => connectMachine(address, cluster.admin, timeoutMs);
async function call<T>(fn: (c: ReturnType<typeof client>["client"]) => Promise<T>): Promise<T> {
  const connection = client();
  try {
    return await fn(connection.client);
  } finally {
    connection.close();
  }
}
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 300_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Upgrades from a URL and times each phase the node reports, then the reboot and the health gate. */
async function timedUpgrade(bundle: string, stage = false) {
  const { bootId } = await call((c) => c.health({}));
  const t0 = Date.now();
  const firstAt: Record<string, number> = {};
  const connection = client(600_000);
  try {
    for await (const p of connection.client.upgrade({
      source: { case: "url", value: `${base}/${bundle}` },
      sha256: sha256(join(work, bundle)),
      stage,
      tries: 3,
    }))
      firstAt[p.phase] ??= Date.now() - t0;
  } finally {
    connection.close();
  }
  const streamEnd = Date.now() - t0;
  if (stage) return { firstAt, streamEnd, t0, bootId };
  const answering = await until("the node back", async () => {
    const h = await call((c) => c.health({}));
    return h.bootId !== bootId ? Date.now() - t0 : undefined;
  });
  return { firstAt, streamEnd, answering, t0, bootId };
}

const results: Record<string, unknown> = { date: new Date().toISOString() };
try {
  await buildInto("v2.bundle", "0.2.0");
  const up = await timedUpgrade("v2.bundle");
  const committed = await until("0.2.0 committed", async () => {
    const s = await call((c) => c.bootState({}));
    return s.runningVersion === "0.2.0" && s.runningCommitted ? Date.now() - up.t0 : undefined;
  });
  const f = up.firstAt;
  const phases = {
    fetchMs: (f.verify ?? 0) - (f.fetch ?? 0),
    verifyMs: (f.write ?? 0) - (f.verify ?? 0),
    writeMs: (f.check ?? 0) - (f.write ?? 0),
    checkAndArmMs: (f.reboot ?? 0) - (f.check ?? 0),
    rebootMs: (up.answering ?? 0) - (f.reboot ?? 0),
    healthAndCommitMs: committed - (up.answering ?? 0),
  };
  results.upgradeToCommitted = { totalMs: committed, ...phases };

  const fallbacks: Record<string, number> = {};
  const patched = await runKeelctl(
    cluster.env,
    "config",
    "patch",
    "--patch",
    '{"machine":{"upgrade":{"healthTimeoutSeconds":10}}}',
  );
  if (patched.code !== 0) throw new Error(`config patch failed: ${patched.stderr}`);
  for (const fault of ["crash", "hang", "unhealthy"] as const) {
    await buildInto(`${fault}.bundle`, "0.3.0", fault);
    const run = await timedUpgrade(`${fault}.bundle`);
    // The first boot of v3 starts when the node reboots; it is back on v2 when it answers, committed, with the fallback recorded.
    const firstBoot = run.firstAt.reboot ?? run.streamEnd;
    const back = await until(`${fault}: back on 0.2.0`, async () => {
      const s = await call((c) => c.bootState({}));
      return s.runningVersion === "0.2.0" &&
        s.runningCommitted &&
        s.lastFallback?.fromVersion === "0.3.0"
        ? Date.now() - run.t0
        : undefined;
    });
    fallbacks[`${fault}Ms`] = back - firstBoot;
    await call((c) => c.acknowledgeFallback({}));
  }
  results.brokenV3FirstBootToV2 = {
    ...fallbacks,
    tries: 3,
    watchdogSeconds: 5,
    healthTimeoutSeconds: 10,
  };

  const rss: Record<string, unknown> = {};
  for (const mb of [50, 500]) {
    const name = `big-${mb}.bundle`;
    await buildPadded(name, mb);
    const agent = agentPid();
    const idle = rssKiB(agent);
    let peak = idle;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssKiB(agent));
    }, 20);
    const run = await timedUpgrade(name, true).finally(() => clearInterval(sampler));
    rss[`${mb}MB`] = {
      idleMiB: mib(idle),
      peakMiB: mib(peak),
      growthMiB: mib(peak - idle),
      upgradeMs: run.streamEnd,
    };
    rmSync(join(work, name));
  }
  results.agentRssDuringWrite = rss;
} finally {
  server.close();
  await cluster.destroy();
}
results.durationSeconds = Math.round((Date.now() - started) / 1000);

const u = results.upgradeToCommitted as Record<string, number>;
const b = results.brokenV3FirstBootToV2 as Record<string, number>;
const r = results.agentRssDuringWrite as Record<
  string,
  { idleMiB: number; peakMiB: number; growthMiB: number; upgradeMs: number }
>;
writeFileSync(
  join(import.meta.dirname, "upgrade-results.json"),
  `${JSON.stringify(results, null, 2)}\n`,
);
console.log(`
upgrade: one process node (kubesim, watchdog 5 s, health timeout 10 s for the unhealthy image)
  Upgrade call → committed   ${u.totalMs} ms
    fetch ${u.fetchMs} ms, verify ${u.verifyMs} ms, write ${u.writeMs} ms, check+arm ${u.checkAndArmMs} ms,
    reboot ${u.rebootMs} ms, health gate + commit ${u.healthAndCommitMs} ms
  broken v3 first boot → v2   crash ${b.crashMs} ms, hang ${b.hangMs} ms, never healthy ${b.unhealthyMs} ms (3 tries each)
  agent RSS while writing     50 MB: ${r["50MB"]?.idleMiB} → ${r["50MB"]?.peakMiB} MiB; 500 MB: ${r["500MB"]?.idleMiB} → ${r["500MB"]?.peakMiB} MiB
  took                        ${results.durationSeconds} s
written to bench/upgrade-results.json`);

async function buildInto(name: string, version: string, testFault?: TestFault): Promise<void> {
  await buildProcessImage({
    version,
    signingKey: key,
    output: join(work, name),
    ...(testFault ? { testFault } : {}),
  });
}

/** A real agent image plus `mb` of padding: a large bundle that still boots. */
async function buildPadded(name: string, mb: number): Promise<void> {
  const padding = join(work, `padding-${mb}`);
  const out = createWriteStream(padding);
  for (let i = 0; i < mb; i++) if (!out.write(randomBytes(1024 * 1024))) await once(out, "drain");
  out.end();
  await once(out, "finish");
  const entry = distPath("keelsond.mjs");
  const files = programFiles(entry).map((path) => ({ path, source: join(entry, "..", path) }));
  const { createPublicKey } = await import("node:crypto");
  const publicKey = createPublicKey(key).export({ type: "spki", format: "pem" }).toString();
  await writeBundle(
    join(work, name),
    { version: `0.9.${mb}`, arch: hostArchitecture(), target: "process", minUpgradeFrom: "0.0.0" },
    [...files, { path: "padding.bin", source: padding }],
    { privateKey: key, publicKey },
  );
  rmSync(padding);
}

function agentPid(): number {
  const launcher = Number(readFileSync(join(node.stateDir, "machine.pid"), "utf8"));
  return Number(
    readFileSync(`/proc/${launcher}/task/${launcher}/children`, "utf8").trim().split(/\s+/)[0],
  );
}

function rssKiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0; // Gone: the run failed, and says why.
  }
}

function mib(kib: number): number {
  return Math.round((kib / 1024) * 10) / 10;
}
