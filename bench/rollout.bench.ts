/**
 * Fleet rollout benchmark (npm run bench:rollout): the UpgradePlan controller,
 * as its own process, upgrades 1,000 virtual nodes (kubesim's virtual fleet,
 * a virtual agent per node serving the Keelson API on its own loopback
 * address) with maxUnavailable 50. Each node's drain (its pods' stop time)
 * and reboot time are drawn from a fixed seed. Reports makespan against the
 * lower bound those times allow, the delay from a node finishing to the next
 * one taking its slot, the most nodes out at once, the controller's RSS and
 * CPU, and a periodic-lock rebooter with kured's defaults on the same times.
 * Two rollouts run on the same fleet: the first knows nothing of the nodes
 * and takes them in fleet order; the second, as every later rollout of a
 * fleet, takes the nodes its predecessor recorded as slowest first.
 * Prints a table per rollout and writes bench/rollout-results.json.
 * Sizes: ROLLOUT_BENCH_NODES, ROLLOUT_BENCH_BUDGET; the seed: ROLLOUT_BENCH_SEED; only the
 * first rollout: ROLLOUT_BENCH_ROLLOUTS=1;
 * extra Node flags for the controller: ROLLOUT_BENCH_CONTROLLER_FLAGS (e.g. --cpu-prof); another
 * build of it to measure: ROLLOUT_BENCH_CONTROLLER (default dist/keelson-controller.mjs).
 */
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { planCrd } from "../src/controller/crd/plan-crd";
import { readKubeconfig } from "../src/kubesim";
import { generateSigningKey, type SigningKeyPair, writeBundle } from "../src/machinery/bundle";
import { KubeClient } from "../src/machinery/kube";
import { createCa, issue } from "../src/machinery/pki";
import { drawTimes, lowerBoundMs, type NodeTimes, serviceMs } from "./rollout-model";
import { fleetReport, startController, startFleet, usageOf } from "./rollout-processes";
import {
  type Rollout,
  type RolloutSettings,
  seconds,
  summarise,
  writeResults,
} from "./rollout-report";
import { Timeline } from "./rollout-timeline";

const settings: RolloutSettings = {
  nodeCount: Number(process.env.ROLLOUT_BENCH_NODES ?? 1000),
  budget: Number(process.env.ROLLOUT_BENCH_BUDGET ?? 50),
  seed: Number(process.env.ROLLOUT_BENCH_SEED ?? 12),
  // Short enough for the run to take about ten minutes; reboots stay under the 40 s a
  // silent kubelet has before its Node turns NotReady, so the budget counts only what the plan took.
  drainRange: { minMs: 4000, maxMs: 16_000 },
  rebootRange: { minMs: 8000, maxMs: 24_000 },
  podsPerNode: 2,
};
const { nodeCount, budget, seed, drainRange, rebootRange, podsPerNode } = settings;
const allRollouts: Rollout[] = [
  { target: "0.2.0", history: "none: the fleet's first rollout, in fleet order", reboots: 1 },
  {
    target: "0.3.0",
    history: "each node's out-of-service time, as the first rollout recorded it",
    reboots: 2,
  },
];
const rollouts = allRollouts.slice(0, Number(process.env.ROLLOUT_BENCH_ROLLOUTS ?? 2));
const controllerFlags = (process.env.ROLLOUT_BENCH_CONTROLLER_FLAGS ?? "")
  .split(" ")
  .filter(Boolean);

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
async function bundle(dir: string, target: string, key: SigningKeyPair) {
  const payload = join(dir, `${target}.txt`);
  await writeFile(payload, `keelson ${target} (rollout bench)\n`);
  const file = join(dir, `${target}.bundle`);
  await writeBundle(
    file,
    { version: target, arch: "amd64", target: "process", minUpgradeFrom: "0.0.0" },
    [{ path: "image.txt", source: payload }],
    key,
  );
  const sha256 = createHash("sha256").update(readFileSync(file)).digest("hex");
  return { name: `${target}.bundle`, sha256 };
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

function planObject(target: string, url: string, sha256: string) {
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

interface Run {
  client: KubeClient;
  controller: ChildProcess;
  fleet: Awaited<ReturnType<typeof startFleet>>;
  times: NodeTimes[];
  started: number;
  setupSeconds: number;
}

/** One plan over the whole fleet, watched from its creation to its last node Done. */
async function rollout(run: Run, r: Rollout, image: { name: string; sha256: string }) {
  const { client, controller, fleet, times } = run;
  const plan = planObject(r.target, fleet.ready.bundleBaseUrl + image.name, image.sha256);
  const timeline = new Timeline(client, plan.metadata.name);
  try {
    const list = (await client.call("GET", "/api/v1/nodes?limit=1")) as {
      metadata: { resourceVersion: string };
    };
    void timeline.follow(list.metadata.resourceVersion);
    const pid = controller.pid ?? 0;
    const before = usageOf(pid);
    let peakRss = before.rssMiB;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, usageOf(pid).rssMiB);
    }, 1000);
    const t0 = Date.now();
    await client.call("POST", "/apis/upgrade.keelson.io/v1alpha1/upgradeplans", plan);
    const lb = lowerBoundMs(times.map(serviceMs), budget);
    await allDone(timeline, t0, t0 + 3 * lb + 300_000);
    clearInterval(sampler);
    const after = usageOf(pid);
    const report = await fleetReport(fleet.proc);
    const { started, setupSeconds } = run;
    const m = { t0, times, lb, before, after, peakRss, report, setupSeconds, started, timeline };
    return summarise(m, settings, r);
  } finally {
    timeline.close();
  }
}

async function allDone(timeline: Timeline, t0: number, deadline: number): Promise<void> {
  let lastProgress = 0;
  while (timeline.count("Done") < nodeCount) {
    const failed = ["Failed", "FellBack", "Skipped"].map((p) => timeline.count(p));
    if (failed.some((n) => n > 0)) throw new Error(`nodes failed: ${failed.join(", ")}`);
    if (Date.now() > deadline) throw new Error(`only ${timeline.count("Done")} nodes done in time`);
    if (Date.now() - lastProgress > 30_000) {
      lastProgress = Date.now();
      process.stderr.write(
        `${seconds(Date.now() - t0)} s: ${timeline.count("Done")}/${nodeCount} done\n`,
      );
    }
    await Promise.race([timeline.next(), new Promise((r) => setTimeout(r, 1000))]);
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), "rollout-bench-"));
  const times = drawTimes(nodeCount, seed, drainRange, rebootRange);
  const ca = await credentials(dir);
  const key = generateSigningKey();
  const images = await Promise.all(rollouts.map((r) => bundle(dir, r.target, key)));
  const fleet = await startFleet({
    dir,
    drainMs: times.map((t) => t.drainMs),
    rebootMs: times.map((t) => t.rebootMs),
    ca,
    publicKey: key.publicKey,
    bundleDir: dir,
  });
  let controller: ChildProcess | undefined;
  const client = new KubeClient(await readKubeconfig(fleet.ready.kubeconfigPath));
  try {
    await client.call("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", planCrd());
    await client.call("POST", "/api/v1/namespaces", { metadata: { name: "keelson-system" } });
    await workload(client);
    const setupSeconds = seconds(Date.now() - started);
    console.log(
      `setup: ${nodeCount} nodes and agents, ${nodeCount * podsPerNode} pods ready in ${setupSeconds} s`,
    );
    controller = await startController(dir, fleet.ready.kubeconfigPath, controllerFlags);
    const run: Run = { client, controller, fleet, times, started, setupSeconds };
    const results = [];
    for (const [i, r] of rollouts.entries()) {
      const image = images[i];
      if (image) results.push(await rollout(run, r, image));
    }
    await writeResults(results);
  } finally {
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
