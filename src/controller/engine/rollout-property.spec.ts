import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { V1Node } from "@kubernetes/client-node";
import fc from "fast-check";
import { StatusError } from "../../kubesim";
import { startVirtualAgents, type VirtualAgents } from "../../kubesim/fleet/virtual-agents";
import {
  type BundleServer,
  startBundleServer,
  startTestCluster,
  type TestCluster,
} from "../../kubesim/testing";
import { generateSigningKey } from "../../machinery/bundle";
import type { Credentials } from "../../machinery/client";
import { createCa, issue } from "../../machinery/pki";
import { allocateLoopbackSubnet } from "../../machinery/platform/loopback-subnet";
import { eventually } from "../../testing/eventually";
import { type KubeApis, kubeApis, mergePatch } from "../kube/kube-apis";
import { readRecord } from "../kube/node-annotations";
import { keelsonNodeApi } from "../nodes/node-api";
import { checkPlan } from "../plan";
import { budgetOf, isFinal } from "../schedule";
import { createDeployment, createPdb } from "../testing/workloads";
import { nodeReady } from "./node-record";
import { type PlanStatus, runPlan } from "./plan-engine";

const fleetSize = 10;
const debug = process.env.ROLLOUT_PROPERTY_DEBUG === "1";
/** One trial to run alone (JSON, as fast-check prints a counterexample). */
const replay: Trial | undefined = process.env.ROLLOUT_PROPERTY_TRIAL
  ? JSON.parse(process.env.ROLLOUT_PROPERTY_TRIAL)
  : undefined;
const names = Array.from({ length: fleetSize }, (_, i) => `p-${i}`);

interface Trial {
  size: number;
  controlPlanes: number;
  maxUnavailable: number;
  canary: boolean;
  /** Nodes (by index in the trial) on which the new version never gets healthy. */
  broken: number[];
  /** When (ms into the trial) the controller is killed and a new one started. */
  crashes: number[];
  /** Share of Node writes answered 409. */
  conflicts: number;
  /** An API server outage (ms into the trial, for 1.5 s). */
  outageAt?: number;
  /** A node whose API stops answering for 2 s, and when. */
  pause?: { node: number; at: number };
}

/** Trials that once failed, run first every time. */
const found: Trial[] = [
  // A node's API paused mid-staging reset the HTTP/2 stream (CANCEL), and the node was failed
  // instead of retried.
  {
    size: 3,
    controlPlanes: 1,
    maxUnavailable: 2,
    canary: true,
    broken: [],
    crashes: [],
    conflicts: 0,
    pause: { node: 1, at: 311 },
  },
  // The engine killed while the canary was Done and the other nodes' records did not name the
  // target yet (their staging writes refused): the new engine, its URL plan's target unknown,
  // took the canary's Done record for another image's and upgraded it again (it booted twice).
  {
    size: 3,
    controlPlanes: 2,
    maxUnavailable: 2,
    canary: true,
    broken: [],
    crashes: [349, 558, 3270],
    conflicts: 0.3,
    outageAt: 559,
  },
];

const trials = fc.record({
  size: fc.integer({ min: 3, max: 8 }),
  controlPlanes: fc.integer({ min: 0, max: 2 }),
  maxUnavailable: fc.integer({ min: 1, max: 3 }),
  canary: fc.boolean(),
  broken: fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 2 }),
  crashes: fc.array(fc.integer({ min: 100, max: 4000 }), { maxLength: 3 }),
  conflicts: fc.constantFrom(0, 0.1, 0.3),
  outageAt: fc.option(fc.integer({ min: 200, max: 3000 }), { nil: undefined }),
  pause: fc.option(
    fc.record({ node: fc.integer({ min: 0, max: 7 }), at: fc.integer({ min: 0, max: 3000 }) }),
    { nil: undefined },
  ),
});

/**
 * The engine over many random fleets, against kubesim's virtual nodes and
 * virtual agents on real sockets: random sizes, control planes, budgets and
 * canaries, images that never get healthy on some nodes, the controller
 * killed at random moments, Node writes refused with 409, the API server
 * away for a while, a node's API not answering. Whatever happens, the budget
 * and the PodDisruptionBudget hold, every node ends Done, Failed, FellBack or
 * Skipped, none is left cordoned or with an image staged, and a node that
 * went Done rebooted exactly once.
 */
describe("the rollout engine over random fleets and faults", () => {
  let dir: string;
  let c: TestCluster;
  let apis: KubeApis;
  let agents: VirtualAgents;
  let http: BundleServer;
  let upgrader: Credentials;
  const key = generateSigningKey();
  /** Per node, the versions that never get healthy on it. */
  const broken = new Map<string, Set<string>>();
  let trialNumber = 0;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "rollout-property-"));
    const hosts = names.map((_, i) => i + 1);
    const subnet = await allocateLoopbackSubnet({ hosts, ports: [50000], owner: dir });
    c = await startTestCluster({
      // Scaled down, 40 s of silence would be 0.8 s: on loaded shared cores heartbeats that late
      // made Nodes flap NotReady by themselves. Here only the plan takes nodes out.
      timing: { nodeMonitorGraceMs: 40_000 },
      virtualNodes: fleetSize,
      virtualFleet: { prefix: "p-", node: (i) => ({ address: subnet.address(i + 1) }) },
    });
    apis = kubeApis(c.sim.kubeconfigPath);
    const ca = await createCa("rollout property CA");
    upgrader = {
      ca: ca.cert,
      ...(await issue(
        { commonName: "upgrader", organizations: ["os:upgrader"], usage: "client" },
        ca,
      )),
    };
    http = await startBundleServer(dir, key);
    agents = await startVirtualAgents({
      fleet: c.sim.fleet ?? assert.fail("no fleet"),
      ca,
      trustedKeys: [createPublicKey(key.publicKey)],
      version: "0.1.0",
      spoolDir: dir,
      node: (i, name) => ({
        address: subnet.address(i + 1),
        rebootMs: 150 + 50 * (i % 4),
        failsBoot: (version) => broken.get(name)?.has(version) ?? false,
      }),
    });
    await apis.core.createNamespace({ body: { metadata: { name: "prop" } } });
    await createDeployment(apis, "prop", "web", 8);
    await createPdb(apis, "prop", "web", "web", { maxUnavailable: 1 });
  });

  /** Every trial starts with the PDB met: the last trial's evicted pods may still be starting. */
  async function pdbMet(): Promise<void> {
    await eventually("the PDB to be met", async () => {
      const { status } = await apis.policy.readNamespacedPodDisruptionBudget({
        name: "web",
        namespace: "prop",
      });
      return status && status.expectedPods === 8 && status.currentHealthy >= status.desiredHealthy;
    });
  }

  after(async () => {
    c?.sim.setFaults(undefined);
    await agents?.close();
    http?.close();
    await c?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Labels this trial's nodes (control planes first) and unlabels the rest. */
  async function select(trial: Trial, label: string): Promise<string[]> {
    const chosen = names.slice(0, trial.size);
    for (const [i, name] of names.entries()) {
      const labels: Record<string, string | null> = {
        "keelson.test/trial": i < trial.size ? label : null,
        "node-role.kubernetes.io/control-plane": i < trial.controlPlanes ? "" : null,
      };
      await apis.core.patchNode({ name, body: { metadata: { labels } } }, mergePatch);
    }
    return chosen;
  }

  /** Runs the plan to its end, killing the engine at the trial's moments and starting a new one. */
  async function runWithCrashes(
    plan: ReturnType<typeof checkPlan>["resolved"],
    planName: string,
    crashes: number[],
  ): Promise<PlanStatus> {
    const started = Date.now();
    const pending = [...crashes].sort((a, b) => a - b);
    for (;;) {
      const stop = new AbortController();
      const crash = pending.shift();
      const timer =
        crash === undefined
          ? undefined
          : setTimeout(
              () => stop.abort(new Error("killed")),
              Math.max(0, started + crash - Date.now()),
            );
      try {
        return await runPlan({
          apis,
          nodes: keelsonNodeApi(upgrader, 3000),
          planName,
          plan,
          signal: stop.signal,
          ...(debug
            ? {
                onUpdate: (s: PlanStatus) =>
                  console.error(
                    `${planName} ${s.problem ?? ""} ${s.nodes.map((n) => `${n.name}=${n.phase}(${n.message})`).join(" ")}`,
                  ),
              }
            : {}),
        });
      } catch (error) {
        if (!stop.signal.aborted) throw error;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  it("keeps the budget and the PDB, and ends every node Done, Failed, FellBack or Skipped", async () => {
    await fc.assert(
      fc.asyncProperty(trials, async (trial) => {
        const label = `t${++trialNumber}`;
        const version = `0.2.${trialNumber}`;
        const chosen = await select(trial, label);
        await pdbMet();
        const brokenNodes = new Set(
          trial.broken.filter((i) => i < trial.size).map((i) => chosen[i] ?? ""),
        );
        for (const name of brokenNodes) broken.set(name, new Set([version]));
        const { url, sha256 } = await http.bundle(version);
        const { resolved } = checkPlan(
          {
            apiVersion: "upgrade.keelson.io/v1alpha1",
            kind: "UpgradePlan",
            metadata: { name: label },
            spec: {
              image: url,
              sha256,
              maxUnavailable: trial.maxUnavailable,
              nodeSelector: { matchLabels: { "keelson.test/trial": label } },
              canary: { enabled: trial.canary, soak: "0s" },
              tries: 2,
              drain: { timeout: "20s" },
              healthChecks: { timeout: "20s" },
              onFailure: "continue",
              maxFailures: 100,
            },
          },
          label,
        );
        const budget = budgetOf(trial.maxUnavailable, trial.size);
        const bootsBefore = new Map(chosen.map((n) => [n, agents.agents.get(n)?.boots() ?? 0]));
        const started = Date.now();
        c.sim.setFaults((request) => {
          const now = Date.now() - started;
          if (trial.outageAt !== undefined && now >= trial.outageAt && now < trial.outageAt + 1500)
            return new StatusError(503, "ServiceUnavailable", "the API server is restarting");
          if (
            request.resource === "nodes" &&
            request.verb === "patch" &&
            Math.random() < trial.conflicts
          )
            return new StatusError(409, "Conflict", "the object has been modified; try again");
          return undefined;
        });
        const pause = trial.pause;
        const paused =
          pause && pause.node < trial.size
            ? new Promise((r) => setTimeout(r, pause.at)).then(() =>
                agents.agents.get(chosen[pause.node] ?? "")?.pause(2000),
              )
            : Promise.resolve();
        let worstOut = 0;
        let pdbViolations = 0;
        let sampling = true;
        const sampler = (async () => {
          while (sampling) {
            const list = await apis.core
              .listNode({ labelSelector: `keelson.test/trial=${label}` })
              .catch(() => undefined);
            if (list) {
              const out = list.items.filter((n: V1Node) => n.spec?.unschedulable || !nodeReady(n));
              worstOut = Math.max(worstOut, out.length);
            }
            const pdb = await apis.policy
              .readNamespacedPodDisruptionBudget({ name: "web", namespace: "prop" })
              .catch(() => undefined);
            const s = pdb?.status;
            if (s && s.currentHealthy < s.desiredHealthy) pdbViolations++;
            await new Promise((r) => setTimeout(r, 10));
          }
        })();
        let status: PlanStatus;
        try {
          status = await runWithCrashes(resolved, label, trial.crashes);
        } finally {
          sampling = false;
          await sampler;
          await paused;
          c.sim.setFaults(undefined);
        }
        const what = JSON.stringify({ trial, nodes: status.nodes });
        assert.ok(worstOut <= budget, `${worstOut} out with a budget of ${budget}: ${what}`);
        assert.equal(pdbViolations, 0, `the PDB went below its minimum: ${what}`);
        for (const node of (
          await apis.core.listNode({ labelSelector: `keelson.test/trial=${label}` })
        ).items) {
          const name = node.metadata?.name ?? "";
          const record = readRecord(node.metadata?.annotations);
          const agent = agents.agents.get(name) ?? assert.fail(name);
          assert.ok(
            record.phase && isFinal(record.phase as never),
            `${name} ${record.phase}: ${what}`,
          );
          assert.equal(
            record.phase,
            brokenNodes.has(name) ? "FellBack" : "Done",
            `${name}: ${what}`,
          );
          assert.notEqual(node.spec?.unschedulable, true, `${name} left cordoned: ${what}`);
          assert.equal(agent.slots.next, agent.slots.running.name, `${name} left staged: ${what}`);
          if (record.phase === "Done") {
            assert.equal(agent.slots.running.version, version, `${name}: ${what}`);
            const boots = agent.boots() - (bootsBefore.get(name) ?? 0);
            assert.equal(boots, 1, `${name} booted ${boots} times: ${what}`);
          }
        }
      }),
      {
        examples: replay ? [[replay]] : found.map((trial) => [trial]),
        ...(replay ? { verbose: 2 } : {}),
        numRuns: replay ? 1 : Number(process.env.ROLLOUT_PROPERTY_RUNS ?? 12),
        seed: Number(process.env.ROLLOUT_PROPERTY_SEED ?? 20261130),
        // Replays one case fast-check reported: its seed and path.
        ...(process.env.ROLLOUT_PROPERTY_PATH ? { path: process.env.ROLLOUT_PROPERTY_PATH } : {}),
      },
    );
  });
});
