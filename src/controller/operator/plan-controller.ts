import { KeelsonError } from "../../machinery/errors";
import { internalAddress, writeRecord } from "../engine/node-record";
import { type PlanStatus, runPlan } from "../engine/plan-engine";
import { ChangeSignal, watchChanges, whenChanged } from "../kube/changes";
import { uncordon } from "../kube/cordon";
import { type KubeApis, mergePatch, statusOf } from "../kube/kube-apis";
import { clearedRecord, readRecord } from "../kube/node-annotations";
import type { NodeApi } from "../nodes/node-api";
import { checkPlan, planGroup, planVersion, type UpgradePlan } from "../plan";
import { LatestWriter } from "./latest-writer";
import { invalidCondition, PlanReporter } from "./plan-reporter";

const plural = "upgradeplans";
const finalizer = `${planGroup}/release-nodes`;
const ref = { group: planGroup, version: planVersion, plural };
const statusIntervalMs = 1000;

interface PlanObject extends UpgradePlan {
  metadata: UpgradePlan["metadata"] & { deletionTimestamp?: string; finalizers?: string[] };
}

interface Runner {
  generation: number;
  stop: AbortController;
  done: Promise<void>;
  finished: boolean;
}

/**
 * The in-cluster controller: every UpgradePlan gets one engine run, started
 * again when its spec changes (a new generation). Its progress goes to the
 * plan's status; a plan carries a finalizer so that deleting it releases its
 * nodes (uncordoned, staged images disarmed, records cleared) before it goes.
 */
export async function runPlanController(
  apis: KubeApis,
  nodes: NodeApi,
  signal: AbortSignal,
  log: (message: string) => void = () => {},
  statuses: Map<string, PlanStatus> = new Map(),
): Promise<void> {
  const changes = new ChangeSignal();
  const runners = new Map<string, Runner>();
  // Only what reconcile acts on wakes it: not the status this controller writes every second.
  const stopWatch = watchChanges(
    apis,
    `/apis/${planGroup}/${planVersion}/${plural}`,
    {},
    whenChanged(planDigest, () => changes.notify()),
  );
  try {
    while (!signal.aborted) {
      // A failed pass (the API server away, a 409) is logged and tried again soon: nothing is lost.
      const ok = await pass().then(
        () => true,
        (error: unknown) => {
          log(`will retry: ${KeelsonError.from(error).message}`);
          return false;
        },
      );
      await changes.next(ok ? 30_000 : 1000 + Math.random() * 1000, signal);
    }
  } finally {
    stopWatch();
    for (const r of runners.values()) r.stop.abort();
    await Promise.all([...runners.values()].map((r) => r.done));
  }

  async function pass(): Promise<void> {
    const list = (await apis.custom.listClusterCustomObject(ref)) as { items: PlanObject[] };
    const names = new Set(list.items.map((p) => p.metadata.name));
    for (const [name, runner] of runners)
      if (!names.has(name)) {
        runner.stop.abort();
        runners.delete(name);
        statuses.delete(name);
      }
    for (const plan of list.items) await reconcile(plan);
  }

  async function reconcile(plan: PlanObject): Promise<void> {
    const name = plan.metadata.name;
    const generation = plan.metadata.generation ?? 0;
    const running = runners.get(name);
    if (plan.metadata.deletionTimestamp) {
      running?.stop.abort();
      await running?.done;
      runners.delete(name);
      await releaseNodes(apis, nodes, name);
      const kept = (plan.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      await patchPlan(name, {
        metadata: { finalizers: kept, resourceVersion: plan.metadata.resourceVersion },
      });
      return;
    }
    if (running?.generation === generation) return;
    running?.stop.abort();
    await running?.done;
    if (!plan.metadata.finalizers?.includes(finalizer))
      await patchPlan(name, {
        metadata: { finalizers: [...(plan.metadata.finalizers ?? []), finalizer] },
      });
    let checked: ReturnType<typeof checkPlan>;
    try {
      checked = checkPlan(plan, `UpgradePlan ${name}`);
    } catch (error) {
      const message = KeelsonError.from(error).message;
      await writeStatus(name, generation, {
        summary: "Invalid",
        conditions: [invalidCondition(message, generation)],
      });
      runners.set(name, {
        generation,
        stop: new AbortController(),
        done: Promise.resolve(),
        finished: true,
      });
      return;
    }
    const stop = new AbortController();
    const runner: Runner = { generation, stop, finished: false, done: Promise.resolve() };
    let last = "";
    const reporter = new PlanReporter(
      apis,
      { name, ...(plan.metadata.uid ? { uid: plan.metadata.uid } : {}) },
      generation,
    );
    // One status write a second at most, never an older one after a newer; the body (a
    // thousand nodes long) is made only then, and not sent when only the ETA moved.
    const statusWriter = new LatestWriter(async (status: PlanStatus) => {
      const body = reporter.body(status);
      const text = JSON.stringify({ ...body, eta: undefined });
      if (text === last) return;
      await writeStatus(name, generation, body);
      // Only once written: a failed write is tried again even if nothing changes meanwhile.
      last = text;
    }, statusIntervalMs);
    runner.done = runPlan({
      apis,
      nodes,
      planName: name,
      plan: checked.resolved,
      signal: AbortSignal.any([stop.signal, signal]),
      onUpdate: (status) => {
        statuses.set(name, status);
        void reporter.events(status);
        statusWriter.offer(status);
      },
    })
      .then(async (status) => {
        await statusWriter.flush();
        await writeStatus(name, generation, reporter.body(status));
      })
      .catch(async (error: unknown) => {
        // A write in flight lands before the next generation's run writes anything.
        statusWriter.close();
        await statusWriter.flush();
        if (stop.signal.aborted || signal.aborted) return;
        const e = KeelsonError.from(error);
        if (e.code === "invalidArgument") {
          await writeStatus(name, generation, {
            summary: "Invalid",
            conditions: [invalidCondition(e.message, generation)],
          }).catch(() => undefined);
          return;
        }
        // Anything else is run again: the nodes' records say where it stopped.
        log(`${name}: ${e.message}; running it again`);
        if (runners.get(name) === runner) runners.delete(name);
        setTimeout(() => changes.notify(), 2000).unref();
      })
      .finally(() => {
        runner.finished = true;
      });
    runners.set(name, runner);
  }

  async function patchPlan(name: string, body: object): Promise<void> {
    await apis.custom
      .patchClusterCustomObject({ ...ref, name, body }, mergePatch)
      .catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
      });
  }

  async function writeStatus(name: string, generation: number, body: object): Promise<void> {
    await apis.custom
      .patchClusterCustomObjectStatus(
        { ...ref, name, body: { status: { observedGeneration: generation, ...body } } },
        mergePatch,
      )
      .catch((error: unknown) => {
        if (statusOf(error) !== 404) throw error;
      });
  }
}

/** A deleted plan leaves nothing behind on its nodes. */
export async function releaseNodes(
  apis: KubeApis,
  nodes: NodeApi,
  planName: string,
): Promise<void> {
  const list = await apis.core.listNode();
  for (const node of list.items) {
    const record = readRecord(node.metadata?.annotations);
    if (record.plan !== planName) continue;
    const name = node.metadata?.name ?? "";
    await uncordon(apis, name);
    if (record.phase === "Staged" || record.phase === "Staging")
      await nodes.cancel(internalAddress(node) ?? "").catch(() => undefined);
    await writeRecord(apis, name, clearedRecord);
  }
}

/** What of a plan reconcile acts on: its spec's generation, its deletion and its finalizers. */
function planDigest(object: unknown): string {
  const { metadata } = object as PlanObject;
  return JSON.stringify([metadata?.generation, metadata?.deletionTimestamp, metadata?.finalizers]);
}
