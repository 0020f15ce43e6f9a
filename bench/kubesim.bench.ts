/**
 * kubesim at fleet scale: virtual nodes, tens of thousands of pods and 20
 * watchers, all over HTTPS. Prints a table and writes bench/kubesim-results.json.
 * Sizes can be lowered with KUBESIM_BENCH_NODES / KUBESIM_BENCH_PODS.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { setMaxListeners } from "node:events";
import { mkdtempSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { Agent, request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ClusterCredentials, readKubeconfig } from "../src/kubesim";
import { KubeClient } from "../src/machinery/kube";

const nodeCount = Number(process.env.KUBESIM_BENCH_NODES ?? 1000);
const podCount = Number(process.env.KUBESIM_BENCH_PODS ?? 30_000);
const namespaceCount = 30;
const watcherCount = 20;
const evictionSeconds = 10;
const latencyWrites = 300;
/** V8 heap limit for the kubesim process: GC works harder instead of letting RSS grow. */
const heapMiB = 700;
/** Extra Node flags for the kubesim process only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
const serverFlags = (process.env.KUBESIM_BENCH_SERVER_FLAGS ?? "").split(" ").filter(Boolean);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

function workloadObjects(): { path: string; body: unknown }[] {
  const replicas = Math.ceil(podCount / namespaceCount);
  const labels = { app: "svc" };
  const template = {
    metadata: { labels },
    spec: { containers: [{ name: "app", image: "nginx:1.27" }] },
  };
  return Array.from({ length: namespaceCount }, (_, i) => `bench-${i}`).flatMap((ns) => [
    {
      path: "/api/v1/namespaces",
      body: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
    },
    {
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      body: {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "svc" },
        spec: { replicas, selector: { matchLabels: labels }, template },
      },
    },
    {
      path: `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
      body: {
        apiVersion: "policy/v1",
        kind: "PodDisruptionBudget",
        metadata: { name: "svc" },
        spec: { maxUnavailable: "10%", selector: { matchLabels: labels } },
      },
    },
  ]);
}

async function readyReplicas(client: KubeClient): Promise<number> {
  const list = (await client.call("GET", "/apis/apps/v1/deployments")) as {
    items: { status?: { readyReplicas?: number } }[];
  };
  return list.items.reduce((n, d) => n + (d.status?.readyReplicas ?? 0), 0);
}

/** Peak and current RSS of a process, from /proc. */
async function rssOf(pid: number): Promise<{ peakMiB: number; nowMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peakMiB: Math.round(kib("VmHWM") / 1024), nowMiB: Math.round(kib("VmRSS") / 1024) };
}

/** kubesim in its own process, started as `keelctl cluster create` would, with a bounded heap. */
async function startServer(
  dir: string,
): Promise<{ proc: ChildProcess; credentials: ClusterCredentials }> {
  const main = join(import.meta.dirname, "../src/kubesim/main.ts");
  const args = [
    ...process.execArgv,
    `--max-old-space-size=${heapMiB}`,
    ...serverFlags,
    main,
    "serve",
    "--dir",
    dir,
    "--port",
    "0",
    "--virtual-nodes",
    String(nodeCount),
  ];
  const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("serving")) resolve();
    });
    proc.on("exit", (code) => reject(new Error(`kubesim exited ${code}`)));
  });
  return { proc, credentials: await readKubeconfig(join(dir, "kubeconfig")) };
}

function tlsAgent(c: ClusterCredentials, maxSockets = 8): Agent {
  return new Agent({ keepAlive: true, maxSockets, ca: c.ca, cert: c.cert, key: c.key });
}

/** The whole LIST body received, not parsed: the server's share of a LIST. */
function timedList(
  c: ClusterCredentials,
  agent: Agent,
  accept = "application/json",
): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers = { Accept: accept };
    const req = request(new URL("/api/v1/pods", c.server), { agent, headers }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on("end", () => resolve({ ms: performance.now() - started, bytes }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A raw watcher: finds the write timestamp in each line without parsing whole pods. */
function watch(c: ClusterCredentials, rv: string, latencies: number[], signal: AbortSignal): void {
  const marker = '"bench/sent":"';
  const req = request(
    new URL(`/api/v1/pods?watch=true&resourceVersion=${rv}`, c.server),
    { ca: c.ca, cert: c.cert, key: c.key, signal },
    (res) => {
      res.setEncoding("utf8");
      const seen = new Set<string>();
      let tail = "";
      res.on("data", (chunk: string) => {
        const text = tail + chunk;
        let at = text.indexOf(marker);
        while (at >= 0) {
          const end = text.indexOf('"', at + marker.length);
          if (end < 0) break;
          const sent = text.slice(at + marker.length, end);
          // Later events of the same pod repeat the annotation; only its first delivery counts.
          if (!seen.has(sent)) {
            seen.add(sent);
            latencies.push(performance.timeOrigin + performance.now() - Number(sent));
          }
          at = text.indexOf(marker, end);
        }
        tail = text.slice(-64);
      });
    },
  );
  req.on("error", () => {});
  req.end();
}

type PodRef = { metadata: { name: string; namespace: string }; status?: { phase?: string } };

async function measureWatch(client: KubeClient, items: PodRef[]): Promise<void> {
  for (const [i, pod] of items.slice(0, latencyWrites).entries()) {
    const sent = (performance.timeOrigin + performance.now()).toFixed(3);
    const path = `/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}`;
    await client.call(
      "PATCH",
      path,
      { metadata: { annotations: { "bench/sent": sent, "bench/i": String(i) } } },
      "application/merge-patch+json",
    );
    await sleep(10);
  }
  await sleep(500);
}

interface EvictionCounts {
  ok: number;
  blocked: number;
  other: number;
}

async function runningPods(client: KubeClient): Promise<{ ns: string; name: string }[]> {
  const list = (await client.call("GET", "/api/v1/pods?fieldSelector=status.phase%3DRunning")) as {
    items: PodRef[];
  };
  return list.items
    .map((p) => ({ ns: p.metadata.namespace, name: p.metadata.name }))
    .sort(() => Math.random() - 0.5);
}

async function evictFor(c: ClusterCredentials, seconds: number): Promise<EvictionCounts> {
  const counts: EvictionCounts = { ok: 0, blocked: 0, other: 0 };
  const clients = Array.from({ length: 4 }, () => new KubeClient(c));
  let queue = await runningPods(clients[0] as KubeClient);
  // The window starts once there is something to evict: listing 30,000 pods is not eviction time.
  const deadline = performance.now() + seconds * 1000;
  const worker = async (client: KubeClient) => {
    while (performance.now() < deadline) {
      if (queue.length === 0) queue = await runningPods(client);
      const pod = queue.pop();
      if (!pod) return;
      const body = {
        apiVersion: "policy/v1",
        kind: "Eviction",
        metadata: { name: pod.name, namespace: pod.ns },
      };
      const res = await client.send(
        "POST",
        `/api/v1/namespaces/${pod.ns}/pods/${pod.name}/eviction`,
        body,
      );
      if (res.status === 201) counts.ok++;
      else if (res.status === 429) counts.blocked++;
      else counts.other++;
    }
  };
  await Promise.all(
    Array.from({ length: 32 }, (_, i) => worker(clients[i % clients.length] as KubeClient)),
  );
  for (const client of clients) client.close();
  return counts;
}

interface ClientReport {
  lists: number[];
  listBytes: number;
  protobufLists: number[];
  protobufBytes: number;
  latencies: number[];
  evictions: EvictionCounts;
  applied: { perSecond: number; errors: number };
}

/**
 * The load runs in a child process, so client-side TLS and parsing do not
 * share the server's single thread; the child reads pods over HTTPS only.
 */
/** The 20 watchers, in a process of their own; they report latencies when told to stop. */
/** Server-side apply of `count` ConfigMaps (16 in flight), as a controller would: objects per second. */
async function applyMany(
  c: ClusterCredentials,
  count: number,
): Promise<{ perSecond: number; errors: number }> {
  const agent = tlsAgent(c, 16);
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const path = `/api/v1/namespaces/default/configmaps/applied-${i}?fieldManager=bench&force=true`;
      const body = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied-${i}","labels":{"bench":"ssa"}},"data":{"index":"${i}","payload":"${"x".repeat(200)}"}}`;
      const req = request(
        new URL(path, c.server),
        { agent, method: "PATCH", headers: { "Content-Type": "application/apply-patch+yaml" } },
        (res) => {
          if (res.statusCode !== 200 && res.statusCode !== 201) errors++;
          res.resume();
          res.on("end", () => resolve());
        },
      );
      req.on("error", () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < count) await one(next++);
    }),
  );
  agent.destroy();
  return { perSecond: Math.round(count / ((performance.now() - started) / 1000)), errors };
}

async function runWatchers(c: ClusterCredentials): Promise<void> {
  const controller = new AbortController();
  setMaxListeners(watcherCount + 1, controller.signal);
  const client = new KubeClient(c);
  const latencies: number[] = [];
  const list = (await client.call("GET", "/api/v1/pods?limit=1")) as {
    metadata: { resourceVersion: string };
  };
  for (let i = 0; i < watcherCount; i++)
    watch(c, list.metadata.resourceVersion, latencies, controller.signal);
  process.send?.("watching");
  process.once("message", () => {
    controller.abort();
    client.close();
    process.send?.(latencies, () => process.exit(0));
  });
}

async function runClients(c: ClusterCredentials): Promise<Omit<ClientReport, "latencies">> {
  const client = new KubeClient(c);
  const list = (await client.call("GET", "/api/v1/pods")) as { items: PodRef[] };
  const listAgent = tlsAgent(c, 1);
  const lists: number[] = [];
  let listBytes = 0;
  for (let i = 0; i < 10; i++) {
    const r = await timedList(c, listAgent);
    lists.push(r.ms);
    listBytes = r.bytes;
  }
  const protobufLists: number[] = [];
  let protobufBytes = 0;
  for (let i = 0; i < 10; i++) {
    const r = await timedList(c, listAgent, "application/vnd.kubernetes.protobuf");
    protobufLists.push(r.ms);
    protobufBytes = r.bytes;
  }
  await measureWatch(client, list.items);
  const evictions = await evictFor(c, evictionSeconds);
  const applied = await applyMany(c, 1000);
  client.close();
  listAgent.destroy();
  return { lists, listBytes, protobufLists, protobufBytes, evictions, applied };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "kubesim-bench-"));
  const started = performance.now();
  const { proc, credentials } = await startServer(dir);
  const admin = new KubeClient(credentials);
  for (const { path, body } of workloadObjects()) await admin.call("POST", path, body);
  const wanted = Math.ceil(podCount / namespaceCount) * namespaceCount;
  for (let ready = 0; ready < wanted; ready = await readyReplicas(admin)) {
    if (performance.now() - started > 600_000)
      throw new Error(`only ${ready}/${wanted} pods ready after 10 minutes`);
    await sleep(1000);
  }
  const setupSeconds = (performance.now() - started) / 1000;
  console.log(`setup: ${nodeCount} nodes, ${podCount} pods ready in ${setupSeconds.toFixed(1)} s`);

  const { lists, listBytes, protobufLists, protobufBytes, latencies, evictions, applied } =
    await forkClients(credentials);
  const rss = await rssOf(proc.pid ?? 0);
  const rssPeak = rss.peakMiB * 2 ** 20;

  const results = {
    nodes: nodeCount,
    pods: podCount,
    watchers: watcherCount,
    setupSeconds: Number(setupSeconds.toFixed(1)),
    rssPeakMiB: Math.round(rssPeak / 2 ** 20),
    rssAtEndMiB: rss.nowMiB,
    listAllPods: {
      p50Ms: Math.round(percentile(lists, 50)),
      p99Ms: Math.round(percentile(lists, 99)),
      bytes: listBytes,
    },
    watchDelivery: {
      samples: latencies.length,
      p50Ms: Number(percentile(latencies, 50).toFixed(1)),
      p99Ms: Number(percentile(latencies, 99).toFixed(1)),
    },
    listAllPodsProtobuf: {
      p50Ms: Math.round(percentile(protobufLists, 50)),
      p99Ms: Math.round(percentile(protobufLists, 99)),
      bytes: protobufBytes,
    },
    serverSideApply: { objects: 1000, perSecond: applied.perSecond, errors: applied.errors },
    evictions: {
      seconds: evictionSeconds,
      perSecond: Math.round(evictions.ok / evictionSeconds),
      blocked429: evictions.blocked,
      otherErrors: evictions.other,
    },
  };
  const targets = [
    ["RSS peak", `${results.rssPeakMiB} MiB`, "≤ 1024 MiB", results.rssPeakMiB <= 1024],
    [
      "LIST all pods p50",
      `${results.listAllPods.p50Ms} ms (${(listBytes / 2 ** 20).toFixed(1)} MiB)`,
      "≤ 250 ms",
      results.listAllPods.p50Ms <= 250,
    ],
    [
      "LIST all pods in protobuf p50",
      `${results.listAllPodsProtobuf.p50Ms} ms (${(protobufBytes / 2 ** 20).toFixed(1)} MiB)`,
      `≤ 0.5 × JSON (${Math.round(results.listAllPods.p50Ms / 2)} ms)`,
      results.listAllPodsProtobuf.p50Ms <= results.listAllPods.p50Ms / 2,
    ],
    [
      "server-side apply of 1,000 objects",
      `${applied.perSecond}/s (${applied.errors} errors)`,
      "≥ 500/s",
      applied.perSecond >= 500 && applied.errors === 0,
    ],
    [
      "watch delivery p99",
      `${results.watchDelivery.p99Ms} ms (${latencies.length} samples)`,
      "≤ 50 ms",
      results.watchDelivery.p99Ms <= 50,
    ],
    [
      "evictions sustained",
      `${results.evictions.perSecond}/s (${evictions.blocked} × 429)`,
      "≥ 500/s",
      results.evictions.perSecond >= 500,
    ],
  ] as const;
  console.table(
    targets.map(([metric, value, target, met]) => ({
      metric,
      value,
      target,
      met: met ? "yes" : "NO",
    })),
  );
  await writeFile(
    join(import.meta.dirname, "kubesim-results.json"),
    `${JSON.stringify({ ...results, targetsMet: targets.every((t) => t[3]) }, null, 2)}\n`,
  );
  admin.close();
  proc.kill("SIGTERM");
}

function child(
  role: string,
  c: ClusterCredentials,
): { process: ChildProcess; next: () => Promise<unknown> } {
  const proc = fork(process.argv[1] ?? "", [role], { execArgv: process.execArgv });
  proc.on("exit", (code) => {
    if (code !== 0) console.error(`bench ${role} exited ${code}`);
  });
  proc.send(c);
  return { process: proc, next: () => new Promise((resolve) => proc.once("message", resolve)) };
}

/** Watchers and load generators in two child processes, so neither slows the other or the server. */
async function forkClients(c: ClusterCredentials): Promise<ClientReport> {
  const watchers = child("watchers", c);
  await watchers.next();
  await sleep(500);
  const load = child("load", c);
  const report = (await load.next()) as Omit<ClientReport, "latencies">;
  const done = watchers.next();
  watchers.process.send("stop");
  const latencies = (await done) as number[];
  return { ...report, latencies };
}

const role = process.argv[2];
if (role === "watchers" || role === "load") {
  process.once("message", (c) => {
    const creds = c as ClusterCredentials;
    if (role === "watchers") void runWatchers(creds);
    else void runClients(creds).then((report) => process.send?.(report, () => process.exit(0)));
  });
} else
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
