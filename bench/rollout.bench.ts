/**
 * Fleet rollout benchmark (npm run bench:rollout): the UpgradePlan controller,
 * as its own process, upgrades 1,000 virtual nodes (kubesim's virtual fleet,
 * a virtual agent per node serving the Keelson API on its own loopback
 * address) with maxUnavailable 50. Each node's drain (its pods' stop time)
 * and reboot time are drawn from a fixed seed. Reports makespan against the
 * lower bound those times allow, the delay from a node finishing to the next
 * one taking its slot, the most nodes out at once, the controller's RSS and
 * CPU, and a periodic-lock rebooter with kured's defaults on the same times.
 * Prints a table and writes bench/rollout-results.json.
 * Sizes: ROLLOUT_BENCH_NODES, ROLLOUT_BENCH_BUDGET; the seed: ROLLOUT_BENCH_SEED;
 * extra Node flags for the controller: ROLLOUT_BENCH_CONTROLLER_FLAGS (e.g. --cpu-prof).
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planCrd } from "../src/controller/crd/plan-crd";
import { readKubeconfig } from "../src/kubesim";
import { generateSigningKey, writeBundle } from "../src/machinery/bundle";
import { KubeClient } from "../src/machinery/kube";
import { createCa, issue } from "../src/machinery/pki";
import { distPath } from "../src/provisioners/dist-path";
import type { FleetReady, FleetReport, FleetSetup } from "./rollout-fleet";
import {
  drawTimes,
  listScheduleMs,
  lowerBoundMs,
  lptScheduleMs,
  periodicLock,
  serviceMs,
} from "./rollout-model";
import { handoffDelays, holding, percentile, Timeline, takenAt } from "./rollout-timeline";

const nodeCount = Number(process.env.ROLLOUT_BENCH_NODES ?? 1000);
const budget = Number(process.env.ROLLOUT_BENCH_BUDGET ?? 50);
const seed = Number(process.env.ROLLOUT_BENCH_SEED ?? 12);
// Short enough for the run to take about ten minutes; reboots stay under the 40 s a
// silent kubelet has before its Node turns NotReady, so the budget counts only what the plan took.
const drainRange = { minMs: 4000, maxMs: 16_000 };
const rebootRange = { minMs: 8000, maxMs: 24_000 };
const podsPerNode = 2;
const target = "0.2.0";
const hourMs = 3_600_000;
const controllerFlags = (process.env.ROLLOUT_BENCH_CONTROLLER_FLAGS ?? "")
  .split(" ")
  .filter(Boolean);

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** CPU seconds (user + system) and RSS of a process, from /proc. */
function usageOf(pid: number): { cpuSeconds: number; rssMiB: number; peakRssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return {
    cpuSeconds: ticks / 100,
    rssMiB: Math.round(kib("VmRSS") / 1024),
    peakRssMiB: Math.round(kib("VmHWM") / 1024),
  };
}

/** The fleet process: kubesim, the virtual nodes and their agents. */
async function startFleet(setup: FleetSetup): Promise<{ proc: ChildProcess; ready: FleetReady }> {
  const proc = fork(join(import.meta.dirname, "rollout-fleet.ts"), [], {
    execArgv: [...process.execArgv, "--max-old-space-size=2048"],
  });
  proc.send(setup);
  const ready = await new Promise<FleetReady>((resolve, reject) => {
    proc.on("message", (m: { ready?: FleetReady }) => m.ready && resolve(m.ready));
    proc.once("exit", (code) => reject(new Error(`the fleet process exited ${code}`)));
  });
  return { proc, ready };
}

function fleetReport(proc: ChildProcess): Promise<FleetReport> {
  return new Promise((resolve) => {
    const on = (m: { report?: FleetReport }) => {
      if (!m.report) return;
      proc.off("message", on);
      resolve(m.report);
    };
    proc.on("message", on);
    proc.send("report");
  });
}

/** The controller as it runs in a cluster: its own process, a kubeconfig and an os:upgrader certificate. */
async function startController(dir: string, kubeconfig: string): Promise<ChildProcess> {
  const proc = spawn(
    process.execPath,
    [
      ...controllerFlags,
      distPath("keelson-controller.mjs"),
      "--kubeconfig",
      kubeconfig,
      "--credentials",
      join(dir, "upgrader"),
      "--lease-namespace",
      "keelson-system",
      "--identity",
      "bench",
      "--metrics-address",
      "127.0.0.1:0",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = createWriteStream(join(dir, "controller.log"));
  proc.stderr?.pipe(log);
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      log.write(d);
      if (d.toString().includes(": leading")) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`the controller exited ${code}`)));
  });
  return proc;
}

async function credentials(dir: string) {
  const ca = await createCa("rollout bench CA");
  const upgrader = await issue(
    { commonName: "keelson-upgrade-controller", organizations: ["os:upgrader"], usage: "client" },
    ca,
  );
  mkdirSync(join(dir, "upgrader"));
  await writeFile(join(dir, "upgrader", "ca.crt"), ca.cert);
  await writeFile(join(dir, "upgrader", "tls.crt"), upgrader.cert);
  await writeFile(join(dir, "upgrader", "tls.key"), upgrader.key);
  return ca;
}

/** A tiny signed bundle: the nodes check its signature and digests and read its version. */
async function bundle(dir: string) {
  const key = generateSigningKey();
  const payload = join(dir, "image.txt");
  await writeFile(payload, `keelson ${target} (rollout bench)\n`);
  const file = join(dir, `${target}.bundle`);
  await writeBundle(
    file,
    { version: target, arch: "amd64", target: "process", minUpgradeFrom: "0.0.0" },
    [{ path: "image.txt", source: payload }],
    key,
  );
  const sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");
  return { file, sha256, publicKey: key.publicKey };
}

/** Two pods per node under a loose PodDisruptionBudget, every pod Ready. */
async function workload(client: KubeClient): Promise<void> {
  const labels = { app: "web" };
  await client.call("POST", "/api/v1/namespaces", { metadata: { name: "bench" } });
  await client.call("POST", "/apis/apps/v1/namespaces/bench/deployments", {
    metadata: { name: "web" },
    spec: {
      replicas: nodeCount * podsPerNode,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        // Longer than any drawn drain: the pods' stop time is the drain, not the grace period.
        spec: {
          terminationGracePeriodSeconds: 60,
          containers: [{ name: "app", image: "nginx:1.27" }],
        },
      },
    },
  });
  await client.call("POST", "/apis/policy/v1/namespaces/bench/poddisruptionbudgets", {
    metadata: { name: "web" },
    spec: { maxUnavailable: "20%", selector: { matchLabels: labels } },
  });
  for (;;) {
    const d = (await client.call("GET", "/apis/apps/v1/namespaces/bench/deployments/web")) as {
      status?: { readyReplicas?: number };
    };
    if (d.status?.readyReplicas === nodeCount * podsPerNode) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function planObject(url: string, sha256: string) {
  return {
    apiVersion: "upgrade.keelson.io/v1alpha1",
    kind: "UpgradePlan",
    metadata: { name: `to-${target}` },
    spec: {
      image: url,
      sha256,
      maxUnavailable: budget,
      // No canary and no soak: the bench measures the pipeline, not a policy's waits.
      canary: { enabled: false },
      drain: { timeout: "5m" },
    },
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "rollout-bench-"));
  const times = drawTimes(nodeCount, seed, drainRange, rebootRange);
  const ca = await credentials(dir);
  const image = await bundle(dir);
  const fleet = await startFleet({
    dir,
    drainMs: times.map((t) => t.drainMs),
    rebootMs: times.map((t) => t.rebootMs),
    ca,
    publicKey: image.publicKey,
    bundleFile: image.file,
    version: target,
  });
  let controller: ChildProcess | undefined;
  const client = new KubeClient(await readKubeconfig(fleet.ready.kubeconfigPath));
  const timeline = new Timeline(client);
  try {
    await client.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", planCrd());
    await client.call("POST", "/api/v1/namespaces", { metadata: { name: "keelson-system" } });
    await workload(client);
    const setupSeconds = seconds(Date.now() - started);
    console.log(
      `setup: ${nodeCount} nodes and agents, ${nodeCount * podsPerNode} pods ready in ${setupSeconds} s`,
    );
    const list = (await client.call("GET", "/api/v1/nodes?limit=1")) as {
      metadata: { resourceVersion: string };
    };
    void timeline.follow(list.metadata.resourceVersion);
    controller = await startController(dir, fleet.ready.kubeconfigPath);
    const pid = controller.pid ?? 0;
    const before = usageOf(pid);
    let peakRss = before.rssMiB;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, usageOf(pid).rssMiB);
    }, 1000);
    const t0 = Date.now();
    await client.call(
      "POST",
      "/apis/upgrade.keelson.io/v1alpha1/upgradeplans",
      planObject(fleet.ready.bundleUrl, image.sha256),
    );
    const lb = lowerBoundMs(times.map(serviceMs), budget);
    const deadline = t0 + 3 * lb + 300_000;
    let lastProgress = 0;
    while (timeline.count("Done") < nodeCount) {
      const failed = ["Failed", "FellBack", "Skipped"].map((p) => timeline.count(p));
      if (failed.some((n) => n > 0)) throw new Error(`nodes failed: ${failed.join(", ")}`);
      if (Date.now() > deadline)
        throw new Error(`only ${timeline.count("Done")} nodes done in time`);
      if (Date.now() - lastProgress > 30_000) {
        lastProgress = Date.now();
        process.stderr.write(
          `${seconds(Date.now() - t0)} s: ${timeline.count("Done")}/${nodeCount} done\n`,
        );
      }
      await Promise.race([timeline.next(), new Promise((r) => setTimeout(r, 1000))]);
    }
    clearInterval(sampler);
    const after = usageOf(pid);
    const report = await fleetReport(fleet.proc);
    await summarise({
      t0,
      times,
      lb,
      before,
      after,
      peakRss,
      report,
      setupSeconds,
      started,
      timeline,
    });
  } finally {
    timeline.close();
    client.close();
    if (controller && controller.exitCode === null) {
      const exited = new Promise((r) => controller?.once("exit", r));
      controller.kill("SIGTERM");
      await exited;
    }
    fleet.proc.send("stop");
    await new Promise((r) => fleet.proc.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Measured {
  t0: number;
  times: ReturnType<typeof drawTimes>;
  lb: number;
  before: ReturnType<typeof usageOf>;
  after: ReturnType<typeof usageOf>;
  peakRss: number;
  report: FleetReport;
  setupSeconds: number;
  started: number;
  timeline: Timeline;
}

const stats = (values: readonly number[]) => ({
  p50: Math.round(percentile(values, 50)),
  p99: Math.round(percentile(values, 99)),
  max: Math.round(Math.max(...values)),
});

/** Where each node's time went beyond its drawn drain and reboot: phase by phase, from the watch. */
function phaseOverheads(m: Measured, names: readonly string[]) {
  const spans: Record<string, number[]> = {};
  const steps = [...holding, "Done"];
  names.forEach((name, i) => {
    const seen = m.timeline.seen.get(name) ?? {};
    const t = m.times[i] ?? { drainMs: 0, rebootMs: 0 };
    for (const [j, phase] of steps.slice(0, -1).entries()) {
      const from = seen[phase];
      const to = seen[steps[j + 1] ?? ""];
      if (from === undefined || to === undefined) continue;
      // Draining holds the pods' stop time, Verifying the reboot: what is left is overhead.
      const drawn = phase === "Draining" ? t.drainMs : phase === "Verifying" ? t.rebootMs : 0;
      const list = spans[phase] ?? [];
      list.push(to - from - drawn);
      spans[phase] = list;
    }
  });
  return Object.fromEntries(Object.entries(spans).map(([phase, v]) => [phase, stats(v)]));
}

async function summarise(m: Measured): Promise<void> {
  const names = Array.from(
    { length: nodeCount },
    (_, i) => `node-${String(i).padStart(String(nodeCount - 1).length, "0")}`,
  );
  const durations = m.times.map(serviceMs);
  const seen = names.map((n) => m.timeline.seen.get(n) ?? {});
  const done = seen.map((s) => s.Done ?? Number.NaN);
  const taken = seen.map((s) => takenAt(s) ?? Number.NaN);
  const makespanMs = Math.max(...done) - m.t0;
  const delays = handoffDelays(taken, done, budget);
  const perNode = seen.map((_, i) => (done[i] ?? 0) - (taken[i] ?? 0) - (durations[i] ?? 0));
  const kured = (concurrency: number) =>
    periodicLock({ durations, concurrency, periodMs: hourMs, seed }).makespanMs;
  const kured1 = kured(1);
  const kured50 = kured(budget);
  const results = {
    date: new Date().toISOString(),
    nodes: nodeCount,
    maxUnavailable: budget,
    seed,
    drawnMs: { drain: drainRange, reboot: rebootRange },
    plan: "URL bundle with pinned sha256, canary disabled, soak 0, default health checks (boot committed, Node Ready)",
    podsPerNode,
    setupSeconds: m.setupSeconds,
    makespanSeconds: seconds(makespanMs),
    lowerBoundSeconds: seconds(m.lb),
    ratioToLowerBound: Number((makespanMs / m.lb).toFixed(4)),
    listScheduleInFleetOrderSeconds: seconds(listScheduleMs(durations, budget)),
    lptScheduleSeconds: seconds(lptScheduleMs(durations, budget)),
    finishToNextCordonMs: stats(delays),
    overheadPerNodeMs: stats(perNode),
    overheadByPhaseMs: phaseOverheads(m, names),
    maxUnavailableSeen: m.timeline.maxOut,
    maxHoldingBudgetSeen: m.timeline.maxHolding,
    controller: {
      cpuSecondsDuringRollout: Number((m.after.cpuSeconds - m.before.cpuSeconds).toFixed(1)),
      cpuSecondsTotal: m.after.cpuSeconds,
      peakRssMiB: Math.max(m.peakRss, m.after.peakRssMiB),
    },
    fleetProcess: { cpuSeconds: Math.round(m.report.cpuSeconds), peakRssMiB: m.report.peakRssMiB },
    nodesCommittedOn: m.report.committed,
    nodesByReboots: m.report.boots,
    kured: {
      periodMinutes: 60,
      concurrency1: {
        makespanHours: Number((kured1 / hourMs).toFixed(2)),
        ratio: Number((kured1 / makespanMs).toFixed(1)),
      },
      [`concurrency${budget}`]: {
        makespanHours: Number((kured50 / hourMs).toFixed(2)),
        ratio: Number((kured50 / makespanMs).toFixed(1)),
      },
    },
    durationSeconds: 0,
  };
  results.durationSeconds = Math.round((Date.now() - m.started) / 1000);
  const targetMs = 1.02 * m.lb + 10_000;
  const targets = [
    [
      "makespan ÷ lower bound",
      `${results.makespanSeconds} s ÷ ${results.lowerBoundSeconds} s = ${results.ratioToLowerBound.toFixed(3)}`,
      `≤ 1.02 (+10 s): ≤ ${seconds(targetMs)} s`,
      makespanMs <= targetMs,
    ],
    [
      "finish → next cordon",
      `p50 ${results.finishToNextCordonMs.p50} ms, p99 ${results.finishToNextCordonMs.p99} ms, max ${results.finishToNextCordonMs.max} ms (${delays.length})`,
      "p99 ≤ 1000 ms",
      results.finishToNextCordonMs.p99 <= 1000,
    ],
    [
      "most nodes out at once",
      `${m.timeline.maxOut} (${m.timeline.maxHolding} in the plan's phases)`,
      `≤ ${budget}`,
      m.timeline.maxOut <= budget,
    ],
    [
      `nodes on ${target}, rebooted once`,
      `${m.report.committed[target] ?? 0} committed, ${m.report.boots["1"] ?? 0} rebooted once`,
      `${nodeCount}`,
      m.report.committed[target] === nodeCount && m.report.boots["1"] === nodeCount,
    ],
    ["controller CPU (rollout)", `${results.controller.cpuSecondsDuringRollout} s`, "", true],
    ["controller RSS peak", `${results.controller.peakRssMiB} MiB`, "", true],
  ] as const;
  console.table(
    targets.map(([metric, value, goal, met]) => ({
      metric,
      value,
      target: goal,
      met: met ? "yes" : "NO",
    })),
  );
  console.log(`
rollout: ${nodeCount} virtual nodes, maxUnavailable ${budget}, seed ${seed}; drain ${drainRange.minMs / 1000}–${drainRange.maxMs / 1000} s, reboot ${rebootRange.minMs / 1000}–${rebootRange.maxMs / 1000} s (uniform); ${results.plan}
  ideal schedules     lower bound ${results.lowerBoundSeconds} s, LPT ${results.lptScheduleSeconds} s, greedy in fleet order ${results.listScheduleInFleetOrderSeconds} s
  overhead per node   p50 ${results.overheadPerNodeMs.p50} ms, p99 ${results.overheadPerNodeMs.p99} ms (taken → Done, minus drawn drain + reboot)
  by phase (p50)      ${Object.entries(results.overheadByPhaseMs)
    .map(([p, s]) => `${p} ${s.p50} ms`)
    .join(", ")}
  kured model         60 min period: concurrency 1 ${results.kured.concurrency1.makespanHours} h (${results.kured.concurrency1.ratio}×), concurrency ${budget} ${(kured50 / hourMs).toFixed(2)} h (${(kured50 / makespanMs).toFixed(1)}×)
  fleet process       ${results.fleetProcess.cpuSeconds} CPU s, peak RSS ${results.fleetProcess.peakRssMiB} MiB (kubesim, ${nodeCount} kubelets and agents)
  took                ${results.durationSeconds} s
written to bench/rollout-results.json`);
  await writeFile(
    join(import.meta.dirname, "rollout-results.json"),
    `${JSON.stringify({ ...results, targetsMet: targets.every((t) => t[3]) }, null, 2)}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
