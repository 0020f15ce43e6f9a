import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KubernetesObjectApi } from "@kubernetes/client-node";
import { connectMachine } from "../machinery/client";
import { clusterDir } from "../machinery/platform/keelson-home";
import { distPath } from "../provisioners/dist-path";
import { buildProcessImage } from "../provisioners/image/process-image";
import type { TestFault } from "../provisioners/image/test-faults";
import { eventually } from "../testing/eventually";
import { runKeelctl } from "../testing/run-keelctl";
import { startTempCluster, type TempCluster } from "../testing/temp-cluster";
import { planCrd } from "./crd/plan-crd";
import { type KubeApis, kubeApis, mergePatch } from "./kube/kube-apis";
import { annotations } from "./kube/node-annotations";
import { createDeployment, createPdb } from "./testing/workloads";

/**
 * `keelctl upgrade cluster` end to end: real agents in a process cluster,
 * kubesim as Kubernetes, a workload under a PodDisruptionBudget, and nodes
 * that really reboot into the new slot (or fall back from a broken one).
 */
describe("upgrade cluster: the engine over a process cluster", () => {
  let cluster: TempCluster;
  let apis: KubeApis;
  let key: string;
  let kubeconfig: string;
  const nodes = ["cp-1", "worker-1", "worker-2", "worker-3"];
  const keelctl = (...args: string[]) => runKeelctl(cluster.env, ...args);
  const address = (name: string) =>
    cluster.record.nodes.find((n) => n.name === name)?.address ?? assert.fail(name);

  async function call<T>(
    name: string,
    fn: (c: ReturnType<typeof connectMachine>["client"]) => Promise<T>,
  ) {
    const connection = connectMachine(`${address(name)}:50000`, cluster.admin, 5000);
    try {
      return await fn(connection.client);
    } finally {
      connection.close();
    }
  }

  async function bundle(version: string, testFault?: TestFault): Promise<string> {
    const output = join(cluster.home, `${version}${testFault ?? ""}.bundle`);
    await buildProcessImage({
      version,
      signingKey: key,
      output,
      ...(testFault ? { testFault } : {}),
    });
    return output;
  }

  function plan(
    name: string,
    image: string,
    rest = "  canary: {soak: 1s}\n  drain: {timeout: 60s}\n",
  ): string {
    const path = join(cluster.home, `${name}.yaml`);
    writeFileSync(
      path,
      `apiVersion: upgrade.keelson.io/v1alpha1
kind: UpgradePlan
metadata:
  name: ${name}
spec:
  image: ${image}
  maxUnavailable: 1
${rest}`,
    );
    return path;
  }

  /** A Deployment in "shop" and its PodDisruptionBudget. */
  async function guarded(name: string, replicas: number, budget: Record<string, number>) {
    await createDeployment(apis, "shop", name, replicas);
    await createPdb(apis, "shop", name, name, budget);
  }

  const bootIds = () =>
    Promise.all(nodes.map((n) => call(n, async (c) => (await c.health({})).bootId)));

  const controllers: ChildProcess[] = [];
  /** An in-cluster controller as a process, with an os:upgrader certificate and a 3 s lease. */
  const controller = (identity: string) => {
    const child = spawn(
      process.execPath,
      [
        distPath("keelson-controller.mjs"),
        "--kubeconfig",
        kubeconfig,
        "--credentials",
        join(cluster.home, "upgrader"),
        "--identity",
        identity,
        "--lease-seconds",
        "3",
        "--metrics-address",
        "127.0.0.1:0",
      ],
      {
        stdio: [
          "ignore",
          openSync(join(cluster.home, `controller-${identity}.log`), "a"),
          "inherit",
        ],
      },
    );
    controllers.push(child);
    return child;
  };
  const planObject = (name: string, image: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: "upgrade.keelson.io/v1alpha1",
    kind: "UpgradePlan",
    metadata: { name },
    spec: { image, maxUnavailable: 1, canary: { soak: "1s" }, drain: { timeout: "60s" }, ...spec },
  });
  const readPlan = (name: string) =>
    apis.custom.getClusterCustomObject({
      group: "upgrade.keelson.io",
      version: "v1alpha1",
      plural: "upgradeplans",
      name,
    }) as Promise<{
      status?: {
        summary?: string;
        done?: number;
        nodes?: { name: string; phase: string; message: string }[];
      };
    }>;
  const phases = async (plan?: string) =>
    (await apis.core.listNode()).items
      .filter((n) => !plan || n.metadata?.annotations?.[annotations.plan] === plan)
      .map((n) => n.metadata?.annotations?.[annotations.phase] ?? "");

  before(async () => {
    cluster = await startTempCluster({
      controlPlanes: 1,
      workers: 3,
      kubernetes: { timeScale: 0.05 },
      watchdogSeconds: 4,
    });
    process.env.KEELSON_HOME = cluster.home;
    key = readFileSync(join(clusterDir(cluster.record.name), "signing-key.pem"), "utf8");
    kubeconfig = join(clusterDir(cluster.record.name), "kubernetes", "kubeconfig");
    apis = kubeApis(kubeconfig);
    delete process.env.KEELSON_HOME;
    await apis.core.createNamespace({ body: { metadata: { name: "shop" } } });
    await KubernetesObjectApi.makeApiClient(apis.config).create(planCrd() as never);
    await apis.core.createNamespace({ body: { metadata: { name: "keelson-system" } } });
    const upgrader = await cluster.credentialsFor(["os:upgrader"]);
    mkdirSync(join(cluster.home, "upgrader"));
    writeFileSync(join(cluster.home, "upgrader", "ca.crt"), upgrader.ca);
    writeFileSync(join(cluster.home, "upgrader", "tls.crt"), upgrader.cert);
    writeFileSync(join(cluster.home, "upgrader", "tls.key"), upgrader.key);
    await guarded("web", 3, { minAvailable: 2 });
    await apis.apps.createNamespacedDaemonSet({
      namespace: "shop",
      body: {
        metadata: { name: "agent" },
        spec: {
          selector: { matchLabels: { app: "agent" } },
          template: {
            metadata: { labels: { app: "agent" } },
            spec: { containers: [{ name: "agent", image: "busybox:1.36" }] },
          },
        },
      },
    });
    await apis.apps.createNamespacedStatefulSet({
      namespace: "shop",
      body: {
        metadata: { name: "db" },
        spec: {
          replicas: 2,
          serviceName: "db",
          selector: { matchLabels: { app: "db" } },
          template: {
            metadata: { labels: { app: "db" } },
            spec: { containers: [{ name: "db", image: "postgres:17" }] },
          },
        },
      },
    });
    await eventually("web ready", () => webReady(apis), { timeoutMs: 60_000 });
  });
  after(async () => {
    for (const c of controllers) c.kill("SIGKILL");
    await cluster?.destroy();
  });

  it("upgrades every node, control plane first, within the budget and the PDB, each rebooted once", async () => {
    const image = await bundle("0.2.0");
    const before = await bootIds();
    // Watch the fleet while the plan runs: never more than one node out, never fewer than 2 web pods ready.
    let worstOut = 0;
    let worstReady = 3;
    const order: string[] = [];
    const sampler = setInterval(async () => {
      const list = await apis.core.listNode().catch(() => undefined);
      const out =
        list?.items.filter((n) => n.spec?.unschedulable).map((n) => n.metadata?.name ?? "") ?? [];
      for (const n of out) if (!order.includes(n)) order.push(n);
      worstOut = Math.max(worstOut, out.length);
      const pdb = await apis.policy
        .readNamespacedPodDisruptionBudget({ name: "web", namespace: "shop" })
        .catch(() => undefined);
      if (pdb?.status?.currentHealthy !== undefined)
        worstReady = Math.min(worstReady, pdb.status.currentHealthy);
    }, 100);
    const run = await keelctl("upgrade", "cluster", "-f", plan("to-v2", image)).finally(() =>
      clearInterval(sampler),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /every node runs 0\.2\.0/);
    for (const n of nodes) {
      const state = await call(n, (c) => c.bootState({}));
      assert.deepEqual([n, state.runningVersion, state.runningCommitted], [n, "0.2.0", true]);
      const node = await apis.core.readNode({ name: n });
      assert.notEqual(node.spec?.unschedulable, true, `${n} left cordoned`);
      assert.equal(node.metadata?.annotations?.[annotations.phase], "Done");
    }
    assert.equal(order[0], "cp-1", `control plane first: ${order.join(", ")}`);
    assert.ok(worstOut <= 1, `at most one node out at once, saw ${worstOut}`);
    assert.ok(worstReady >= 2, `the PDB kept 2 web pods healthy, saw ${worstReady}`);
    await eventually(
      "the StatefulSet and the DaemonSet whole again",
      async () => {
        const db = await apis.apps.readNamespacedStatefulSet({ name: "db", namespace: "shop" });
        const agent = await apis.apps.readNamespacedDaemonSet({ name: "agent", namespace: "shop" });
        const daemons = agent.status?.desiredNumberScheduled ?? 0;
        return (
          db.status?.readyReplicas === 2 && daemons > 0 && agent.status?.numberReady === daemons
        );
      },
      { timeoutMs: 60_000 },
    );
    const after = await bootIds();
    for (const [i, n] of nodes.entries()) assert.notEqual(after[i], before[i], `${n} rebooted`);
    for (const n of nodes) {
      const events = (await keelctl("-n", n, "events")).stdout;
      assert.equal(
        events.match(/upgrade boot: booted 0\.2\.0/g)?.length,
        1,
        `${n} booted 0.2.0 once`,
      );
    }

    const status = await keelctl(
      "-o",
      "json",
      "upgrade",
      "status",
      "to-v2",
      "--kubeconfig",
      kubeconfig,
    );
    const [view] = JSON.parse(status.stdout) as { summary: string; done: number; total: number }[];
    assert.deepEqual([view?.summary, view?.done, view?.total], ["Succeeded", 4, 4]);

    // The same plan again: nothing to do, no node drained or rebooted.
    const again = await keelctl("upgrade", "cluster", "-f", plan("to-v2-again", image));
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(await bootIds(), after);
  });

  it("a broken image: the canary falls back by itself and the plan halts with the reason", async () => {
    const image = await bundle("0.3.0", "crash");
    const run = await keelctl("upgrade", "cluster", "-f", plan("to-broken", image));
    assert.equal(run.code, 1);
    assert.match(run.stderr, /halted: \S+ failed/);
    assert.match(run.stdout, /FellBack\s+fell back to 0\.2\.0/);
    const fellBack = (await apis.core.listNode()).items.filter(
      (n) => n.metadata?.annotations?.[annotations.phase] === "FellBack",
    );
    assert.equal(fellBack.length, 1, "only the canary went");
    for (const n of nodes) {
      const state = await call(n, (c) => c.bootState({}));
      assert.equal(state.runningVersion, "0.2.0");
      assert.equal(state.nextSlot, state.runningSlot, `${n}: the broken image stays disarmed`);
      const node = await apis.core.readNode({ name: n });
      assert.notEqual(node.spec?.unschedulable, true, `${n} left cordoned`);
    }
  });

  it("in cluster: the controller follows UpgradePlans, survives a SIGKILL and a leader change, and a deleted plan releases its nodes", async () => {
    const objects = KubernetesObjectApi.makeApiClient(apis.config);
    try {
      const first = controller("a");
      // A bundle the controller cannot read: Invalid, said plainly, before any node is touched.
      await objects.create(planObject("unreadable", "/nowhere/keelson.bundle") as never);
      const invalid = await eventually(
        "unreadable marked Invalid",
        async () => {
          const got = (await readPlan("unreadable")) as {
            status?: { summary?: string; conditions?: { type: string; message: string }[] };
          };
          return got.status?.summary === "Invalid" ? got.status.conditions?.[0] : undefined;
        },
        { timeoutMs: 30_000 },
      );
      assert.match(
        invalid.message,
        /spec\.image: cannot read the bundle \/nowhere\/keelson\.bundle/,
      );
      assert.deepEqual(await phases("unreadable"), []);
      await objects.delete(planObject("unreadable", "") as never);
      const v4 = await bundle("0.4.0");
      await objects.create(planObject("to-v4", v4) as never);
      // The canary done: kill the leader mid-plan; a second controller takes the lease and finishes.
      await eventually(
        "the canary done",
        async () => (await readPlan("to-v4")).status?.done === 1,
        { timeoutMs: 120_000 },
      );
      first.kill("SIGKILL");
      controller("b");
      await eventually(
        "to-v4 succeeded",
        async () => (await readPlan("to-v4")).status?.summary === "Succeeded",
        {
          timeoutMs: 180_000,
        },
      );
      for (const n of nodes) {
        const events = (await keelctl("-n", n, "events")).stdout;
        assert.equal(
          events.match(/upgrade boot: booted 0\.4\.0/g)?.length,
          1,
          `${n} booted 0.4.0 once`,
        );
      }
      const metricsUrl = /metrics on (\S+)/.exec(
        readFileSync(join(cluster.home, "controller-b.log"), "utf8"),
      )?.[1];
      const metrics = await (
        await fetch(metricsUrl ?? assert.fail("no metrics address logged"))
      ).text();
      assert.match(metrics, /keelson_upgrade_nodes\{plan="to-v4",phase="Done"\} 4/);
      assert.match(metrics, /keelson_upgrade_budget\{plan="to-v4"\} 1/);
      assert.match(
        metrics,
        /keelson_upgrade_phase_seconds_count\{plan="to-v4",phase="Rebooting"\} [1-9]/,
      );
      assert.match(metrics, /keelson_upgrade_evictions_refused_total\{plan="to-v4"\} \d+/);
      const planEvents = (await apis.core.listNamespacedEvent({ namespace: "default" })).items
        .filter((e) => e.involvedObject.kind === "UpgradePlan" && e.involvedObject.name === "to-v4")
        .map((e) => e.reason);
      assert.ok(
        planEvents.includes("Started") && planEvents.includes("Succeeded"),
        planEvents.join(),
      );
      const status = await keelctl("upgrade", "status", "to-v4", "--kubeconfig", kubeconfig);
      assert.match(status.stdout, /to-v4: Succeeded, 0\.4\.0, 4\/4 done/);
      const lease = await apis.coordination.readNamespacedLease({
        name: "keelson-upgrade-controller",
        namespace: "keelson-system",
      });
      assert.equal(lease.spec?.holderIdentity, "b");

      // A plan deleted mid-way: no node left cordoned or with a staged image.
      const v5 = await bundle("0.5.0");
      await objects.create(planObject("to-v5", v5) as never);
      await eventually(
        "to-v5 under way",
        async () =>
          (await phases()).some((p) => p === "Staged" || p === "Draining" || p === "Cordoned"),
        {
          timeoutMs: 60_000,
          intervalMs: 20,
        },
      );
      await apis.custom.deleteClusterCustomObject({
        group: "upgrade.keelson.io",
        version: "v1alpha1",
        plural: "upgradeplans",
        name: "to-v5",
      });
      await eventually(
        "to-v5 gone",
        async () =>
          !(await readPlan("to-v5").then(
            () => true,
            () => false,
          )),
        { timeoutMs: 120_000 },
      );
      for (const node of (await apis.core.listNode()).items) {
        const name = node.metadata?.name ?? "";
        assert.notEqual(node.spec?.unschedulable, true, `${name} left cordoned`);
        assert.equal(
          node.metadata?.annotations?.[annotations.plan],
          undefined,
          `${name} still held`,
        );
        // The plan may have rebooted a node before it was deleted: its API is back within seconds.
        const state = await eventually(`${name}'s API`, () => call(name, (c) => c.bootState({})));
        assert.equal(state.nextSlot, state.runningSlot, `${name} keeps booting what it runs`);
      }

      // Outside its window a plan waits and says so; made critical, its first node starts within 60 s.
      const later = new Date(Date.now() + 6 * 3600_000).toISOString().slice(11, 16);
      await objects.create(
        planObject("windowed", await bundle("0.5.1"), {
          windows: [{ start: later, duration: "1h" }],
        }) as never,
      );
      await eventually(
        "windowed waits for its window",
        async () =>
          (await readPlan("windowed")).status?.nodes?.some((n) =>
            /outside the maintenance windows/.test(n.message),
          ) ?? false,
        { timeoutMs: 60_000 },
      );
      const serving = ["Pending", "Staging", "Staged"];
      assert.deepEqual(
        (await phases("windowed")).filter((p) => !serving.includes(p)),
        [],
        "staged at most outside the window, nothing taken out of service",
      );
      const changed = Date.now();
      await apis.custom.patchClusterCustomObject(
        {
          group: "upgrade.keelson.io",
          version: "v1alpha1",
          plural: "upgradeplans",
          name: "windowed",
          body: { spec: { priority: "critical" } },
        },
        mergePatch,
      );
      await eventually(
        "the critical plan's first node under way",
        async () => (await phases("windowed")).some((p) => !serving.includes(p)),
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      assert.ok(Date.now() - changed < 60_000);
      await eventually(
        "windowed succeeded",
        async () => (await readPlan("windowed")).status?.summary === "Succeeded",
        { timeoutMs: 180_000 },
      );
    } catch (error) {
      for (const plan of ["to-v4", "to-v5", "windowed"]) {
        const got = await readPlan(plan).catch(() => undefined);
        console.error(`plan ${plan}: ${JSON.stringify(got?.status ?? "gone")}`);
      }
      for (const id of ["a", "b"]) {
        const log = join(cluster.home, `controller-${id}.log`);
        if (existsSync(log)) console.error(`controller ${id}:\n${readFileSync(log, "utf8")}`);
      }
      throw error;
    } finally {
      for (const c of controllers) c.kill("SIGKILL");
    }
  });

  it("a budget that never allows a drain: halt stops the plan, skip-node skips that node and goes on, force deletes its pods and goes on; none leaves an image staged", async () => {
    await guarded("pinned", 1, { maxUnavailable: 0 });
    const pinnedNode = async () =>
      (
        await apis.core.listNamespacedPod({ namespace: "shop", labelSelector: "app=pinned" })
      ).items.find((p) => p.status?.phase === "Running")?.spec?.nodeName;
    const blocked = await eventually("the pinned pod running", pinnedNode, { timeoutMs: 60_000 });
    const attempt = async (onTimeout: string, version: string, ...flags: string[]) =>
      keelctl(
        ...flags,
        "upgrade",
        "cluster",
        "-f",
        plan(
          onTimeout,
          await bundle(version),
          `  drain: {timeout: 3s, onTimeout: ${onTimeout}}\n  canary: {enabled: false}\n`,
        ),
      );
    const halt = await attempt("halt", "0.5.5");
    assert.equal(halt.code, 1, halt.stderr);
    assert.match(halt.stderr, new RegExp(`halted: ${blocked} failed`));
    assert.match(halt.stdout, /Failed\s+drain timed out with 1 pod\(s\) left: shop\/pinned-/);
    for (const n of nodes) {
      const node = await apis.core.readNode({ name: n });
      assert.notEqual(node.spec?.unschedulable, true, `${n} left cordoned`);
      const state = await call(n, (c) => c.bootState({}));
      assert.equal(
        state.nextSlot,
        state.runningSlot,
        `${n}: nothing staged after the halt\n${halt.stdout}\n${halt.stderr}`,
      );
    }
    assert.notEqual((await call(blocked, (c) => c.bootState({}))).runningVersion, "0.5.5");

    const skip = await attempt("skip-node", "0.6.0", "-o", "json");
    assert.equal(skip.code, 0, skip.stderr);
    const phases = JSON.parse(skip.stdout) as {
      node: string;
      result: { phase: string; message: string };
    }[];
    for (const p of phases)
      if (p.node === blocked) {
        assert.equal(p.result.phase, "Skipped");
        assert.match(p.result.message, /drain timed out with 1 pod\(s\) left: shop\/pinned-/);
      } else assert.equal(p.result.phase, "Done", p.node);
    assert.match(skip.stderr, new RegExp(`on every node but ${blocked}`));
    assert.notEqual((await apis.core.readNode({ name: blocked })).spec?.unschedulable, true);
    const skipped = await call(blocked, (c) => c.bootState({}));
    assert.notEqual(skipped.runningVersion, "0.6.0");
    assert.equal(skipped.nextSlot, skipped.runningSlot, "the skipped node keeps its image");

    const force = await attempt("force", "0.7.0");
    assert.equal(force.code, 0, force.stderr);
    for (const n of nodes)
      assert.equal((await call(n, (c) => c.bootState({}))).runningVersion, "0.7.0", n);
    await apis.apps.deleteNamespacedDeployment({ name: "pinned", namespace: "shop" });
  });

  it("OS and Kubernetes together: one drain and one reboot per node, and the Node reports the new kubelet", async () => {
    const kubelets = async () =>
      (await apis.core.listNode()).items.map((n) => n.status?.nodeInfo?.kubeletVersion);
    assert.deepEqual(await kubelets(), ["v1.31.4", "v1.31.4", "v1.31.4", "v1.31.4"]);
    const before = await bootIds();
    const run = await keelctl(
      "upgrade",
      "cluster",
      "-f",
      plan(
        "with-k8s",
        await bundle("0.8.0"),
        "  kubernetesVersion: 1.32.1\n  canary: {soak: 1s}\n  drain: {timeout: 60s}\n",
      ),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(await kubelets(), ["v1.32.1", "v1.32.1", "v1.32.1", "v1.32.1"]);
    const after = await bootIds();
    const events = (await apis.core.listNamespacedEvent({ namespace: "default" })).items;
    for (const [i, n] of nodes.entries()) {
      assert.notEqual(after[i], before[i], `${n} rebooted`);
      const log = (await keelctl("-n", n, "events")).stdout;
      assert.equal(log.match(/upgrade boot: booted 0\.8\.0/g)?.length, 1, `${n} booted once`);
      assert.match(log, /committed with slot [AB]'s boot/);
      const drains = events.filter(
        (e) =>
          e.involvedObject.name === n &&
          e.reason === "UpgradeDraining" &&
          e.message?.startsWith("with-k8s:"),
      );
      assert.equal(drains.length, 1, `${n} drained once`);
    }
  });

  it("the controller SIGKILLed in every phase it is seen in: a new leader resumes, each node reboots once, never more than the budget out", async () => {
    const objects = KubernetesObjectApi.makeApiClient(apis.config);
    const before = await bootIds();
    let leader = controller("k0");
    const killedIn = new Set<string>();
    let worstOut = 0;
    await objects.create(planObject("every-phase", await bundle("0.9.0")) as never);
    await eventually(
      "every-phase succeeded",
      async () => {
        const list = (await apis.core.listNode()).items;
        worstOut = Math.max(worstOut, list.filter((n) => n.spec?.unschedulable).length);
        const fresh = list
          .filter((n) => n.metadata?.annotations?.[annotations.plan] === "every-phase")
          .map((n) => n.metadata?.annotations?.[annotations.phase] ?? "")
          .find((p) => p !== "Pending" && p !== "Done" && !killedIn.has(p));
        if (fresh) {
          killedIn.add(fresh);
          leader.kill("SIGKILL");
          leader = controller(`k${killedIn.size}`);
        }
        return (await readPlan("every-phase")).status?.summary === "Succeeded";
      },
      { timeoutMs: 300_000, intervalMs: 25 },
    );
    for (const phase of ["Staged", "Draining", "Rebooting", "Verifying"])
      assert.ok(killedIn.has(phase), `killed in ${phase}: ${[...killedIn].join(", ")}`);
    assert.ok(worstOut <= 1, `at most one node out at once, saw ${worstOut}`);
    const after = await bootIds();
    for (const [i, n] of nodes.entries()) {
      assert.notEqual(after[i], before[i], `${n} rebooted`);
      const log = (await keelctl("-n", n, "events")).stdout;
      assert.equal(log.match(/upgrade boot: booted 0\.9\.0/g)?.length, 1, `${n} booted once`);
    }
  });
});

/** True when web's 3 replicas are Ready; otherwise throws what the pods and Nodes show, for the failure. */
async function webReady(apis: KubeApis): Promise<boolean> {
  const web = await apis.apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
  if (web.status?.readyReplicas === 3) return true;
  const pods = (await apis.core.listNamespacedPod({ namespace: "shop" })).items.map(
    (p) => `${p.metadata?.name} ${p.status?.phase} on ${p.spec?.nodeName ?? "-"}`,
  );
  const nodes = (await apis.core.listNode()).items.map(
    (n) =>
      `${n.metadata?.name} Ready=${n.status?.conditions?.find((c) => c.type === "Ready")?.status}`,
  );
  throw new Error(
    `web ${web.status?.readyReplicas ?? 0}/3 ready; pods: ${pods.join(", ")}; nodes: ${nodes.join(", ")}`,
  );
}
