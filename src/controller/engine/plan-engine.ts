import type { V1Node } from "@kubernetes/client-node";
import { compareVersions } from "../../machinery/boot";
import { readBundleLayout } from "../../machinery/bundle";
import { isBundleUrl } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import { ChangeSignal, watchChanges, whenChanged } from "../kube/changes";
import { cordonedByOthers } from "../kube/cordon";
import { describeError, type KubeApis } from "../kube/kube-apis";
import { readRecord } from "../kube/node-annotations";
import { NodeCache } from "../kube/node-cache";
import { selectorString } from "../kube/selector-string";
import type { NodeApi } from "../nodes/node-api";
import type { ResolvedPlan } from "../plan/resolve-plan";
import {
  type FleetNode,
  holdsBudget,
  isFinal,
  isNodePhase,
  type NodePhase,
  nextOpening,
  type Schedule,
  schedule,
} from "../schedule";
import { etcdHealth } from "./etcd-health";
import { isControlPlane, nodeReady } from "./node-record";
import { NodeRetries } from "./node-retries";
import { bundleOf, stageNode, unstageNode, upgradeNode, type WorkerContext } from "./node-worker";
import { type PlanForecast, planForecast } from "./plan-forecast";
import { PlanStats } from "./plan-stats";

export interface NodeStatus {
  name: string;
  phase: NodePhase;
  message: string;
}

export interface PlanStatus {
  target: string;
  nodes: NodeStatus[];
  budget: number;
  unavailable: string[];
  halted?: string;
  /** Every node Done, Failed, FellBack or Skipped, or the plan halted with nothing in flight. */
  finished: boolean;
  /** What the engine waits for when it cannot go on (the API server away); nodes keep their phases. */
  problem?: string;
  forecast: PlanForecast;
  stats: PlanStats;
}

export interface EngineOptions {
  apis: KubeApis;
  nodes: NodeApi;
  planName: string;
  plan: ResolvedPlan;
  /** The bundle's version when known before staging (a local file's header says it). */
  target?: string;
  stagingConcurrency?: number;
  onUpdate?: (status: PlanStatus) => void;
  signal?: AbortSignal;
}

/** The longest the engine sleeps without a change: a backstop for what it cannot watch (node APIs). */
const backstopMs = 30_000;

/**
 * Runs one plan to its end: each pass reads the selected Nodes (kept from a
 * watch and from the engine's own writes; listed again when the watch was
 * cut) and what is recorded on them, asks the schedule what may start, and starts it; it wakes
 * on any Node change (a watch), when a worker moves a node on, or when a
 * window opens. All state lives on the Nodes, so a new engine (after a crash
 * or a leader change) picks up exactly where the last one stopped.
 */
export async function runPlan(options: EngineOptions): Promise<PlanStatus> {
  const { plan, planName } = options;
  const cache = new NodeCache();
  const apis: KubeApis = { ...options.apis, nodeCache: cache };
  const abort = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, abort.signal]) : abort.signal;
  // The pass loop wakes on any change; a worker only on its own Node's (see forNode).
  const changes = new ChangeSignal();
  const nodeChanges = new Map<string, ChangeSignal>();
  const messages = new Map<string, NodeStatus>();
  const workers = new Map<string, Promise<void>>();
  /**
   * What a list cannot show yet, so that no budget slot is given twice. A
   * running worker's node counts as the phase it enters first (a pass can
   * list the Nodes before that write lands). A worker that ends after a pass
   * asked for its list may have written more than that list shows: its node
   * is left to the next pass, and its claim stands until then.
   */
  const claims = new Map<string, NodePhase>();
  const endedAt = new Map<string, number>();
  let ended = 0;
  let fleet: FleetNode[] = [];
  const stats = new PlanStats();
  const ctx: WorkerContext = {
    apis,
    nodes: options.nodes,
    plan,
    planName,
    target: options.target ?? (await knownTarget(plan)),
    changes,
    signal,
    stats,
    report(name, phase, message) {
      stats.entered(name, phase);
      messages.set(name, { name, phase, message });
      changes.notify();
    },
    isCanary: () => plan.canary.enabled && !fleet.some((f) => f.phase === "Done"),
  };
  const labelSelector = selectorString(plan.nodeSelector);
  const stopWatch = watchChanges(
    apis,
    "/api/v1/nodes",
    labelSelector ? { labelSelector } : {},
    keepIn(
      cache,
      whenChanged(nodeDigest, (type, object) => {
        changes.notify();
        const name = (object as V1Node | undefined)?.metadata?.name ?? "";
        if (type === "REOPEN") for (const s of nodeChanges.values()) s.notify();
        else nodeChanges.get(name)?.notify();
      }),
    ),
  );
  /**
   * The context a node's upgrade worker gets: the engine's own, except that
   * its waits (for the new boot, through the soak) wake when its Node
   * changes, not at every change of a thousand others.
   */
  const forNode = (name: string): WorkerContext => {
    const own = new ChangeSignal();
    nodeChanges.set(name, own);
    // Taken once the node is staged, so the target it reads is already known.
    return { ...ctx, changes: own };
  };
  const retries = new NodeRetries();
  const start = (name: string, work: Promise<void>, claim?: NodePhase) => {
    if (claim) claims.set(name, claim);
    workers.set(
      name,
      work
        .then(
          () => retries.succeeded(name),
          (error: unknown) => {
            if (!signal.aborted) retries.failed(name, error);
          },
        )
        .finally(() => {
          workers.delete(name);
          endedAt.set(name, ++ended);
          nodeChanges.delete(name);
          changes.notify();
        }),
    );
  };
  // A cached Node object is read once (per target): a pass over a thousand mostly unchanged Nodes stays cheap.
  const read = new WeakMap<V1Node, { target: string; node: FleetNode }>();
  const asFleetNode = (n: V1Node): FleetNode => {
    const hit = read.get(n);
    if (hit?.target === ctx.target) return hit.node;
    const node = fleetNode(n, planName, ctx.target, plan.kubernetesVersion);
    read.set(n, { target: ctx.target, node });
    return node;
  };
  let failures = 0;
  let last: PlanStatus | undefined;
  // The ETA moves by seconds: worked out at most once a second, not at every pass (thousands a minute).
  let forecastAt = Number.NEGATIVE_INFINITY;
  let lastForecast: PlanForecast | undefined;
  const forecast = (fleet: readonly FleetNode[], decision: Schedule, now: number) => {
    if (!lastForecast || now - forecastAt >= 1000) {
      lastForecast = planForecast(plan, fleet, decision, stats, now);
      forecastAt = now;
    }
    return lastForecast;
  };
  try {
    for (;;) {
      if (signal.aborted) throw KeelsonError.from(signal.reason);
      const seen = changes.version;
      const endedBefore = ended;
      const list = cache.synced
        ? { items: cache.list() }
        : await apis.core.listNode(labelSelector ? { labelSelector } : {}).then(
            (listed) => {
              cache.replace(listed.items);
              return listed;
            },
            (error: unknown) => apiProblem(error),
          );
      if ("problem" in list) {
        // Nothing is decided without a fresh list; every node keeps its recorded phase meanwhile.
        if (signal.aborted) throw KeelsonError.from(signal.reason);
        failures++;
        if (last) options.onUpdate?.({ ...last, problem: list.problem });
        await changes.next(Math.min(backstopMs, 500 * 2 ** Math.min(failures, 6)), signal);
        continue;
      }
      failures = 0;
      for (const [name, at] of endedAt)
        if (at <= endedBefore) {
          endedAt.delete(name);
          claims.delete(name);
        }
      // A URL's version is learnt at staging; a restarted engine reads it back from the records.
      ctx.target ||= recordedTarget(list.items, planName, bundleOf(plan));
      fleet = list.items.map((n) => claimed(asFleetNode(n), claims));
      const decision = schedule({
        plan,
        nodes: fleet,
        now: Date.now(),
        stagingConcurrency: options.stagingConcurrency ?? 8,
        etcd: await etcdHealth(options.nodes, list.items, fleet),
      });
      const byName = new Map(list.items.map((n) => [n.metadata?.name ?? "", n]));
      const now = Date.now();
      const toStage = new Set(decision.stage);
      const toCordon = new Set(decision.cordon);
      for (const f of fleet) {
        const node = byName.get(f.name);
        if (!node || workers.has(f.name) || endedAt.has(f.name) || retries.waiting(f.name, now))
          continue;
        if (decision.halted && f.phase === "Staged")
          start(f.name, unstageNode(ctx, node, decision.halted));
        else if (toStage.has(f.name) || f.phase === "Staging")
          start(f.name, stageNode(ctx, node), "Staging");
        else if (toCordon.has(f.name) || holdsBudget(f.phase))
          start(
            f.name,
            upgradeNode(forNode(f.name), node, f.phase, readRecord(node.metadata?.annotations)),
            "Cordoned",
          );
      }
      const status: PlanStatus = {
        target: ctx.target,
        budget: decision.budget,
        unavailable: decision.unavailable,
        ...(decision.halted ? { halted: decision.halted } : {}),
        nodes: fleet.map((f) => ({
          name: f.name,
          phase: f.phase,
          message:
            (workers.has(f.name) ? messages.get(f.name)?.message : undefined) ??
            retries.message(f.name, now) ??
            decision.waiting[f.name] ??
            f.reason ??
            messages.get(f.name)?.message ??
            "",
        })),
        finished:
          workers.size === 0 &&
          (fleet.every((f) => isFinal(f.phase)) || decision.halted !== undefined),
        forecast: forecast(fleet, decision, now),
        stats,
      };
      last = status;
      options.onUpdate?.(status);
      if (status.finished) return status;
      const opens = plan.critical ? undefined : nextOpening(plan.windows, Date.now());
      const untilOpen = opens !== undefined && opens > Date.now() ? opens - Date.now() : backstopMs;
      await changes.next(Math.min(backstopMs, untilOpen, retries.nextInMs()), signal, seen);
      // One turn of the event loop first: the watch events and worker reports already read in
      // land before the pass, so a burst of them costs one pass over the fleet, not one each.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    stopWatch();
    abort.abort();
    await Promise.all(workers.values());
  }
}

/** Feeds a Node watch into the cache before passing its events on. */
function keepIn(
  cache: NodeCache,
  onChange: (type: string, object: unknown) => void,
): (type: string, object: unknown) => void {
  return (type, object) => {
    const node = object as V1Node | undefined;
    if (type === "REOPEN") cache.invalidate();
    else if (type === "DELETED") cache.delete(node?.metadata?.name ?? "");
    else if (node && (type === "ADDED" || type === "MODIFIED")) cache.update(node);
    onChange(type, object);
  };
}

/**
 * A node a worker has just taken counts as the phase it is entering until
 * its Node says so (or says more): a staging slot, or a budget slot.
 */
function claimed(node: FleetNode, claims: ReadonlyMap<string, NodePhase>): FleetNode {
  const claim = claims.get(node.name);
  if (!claim) return node;
  const behind =
    claim === "Staging"
      ? node.phase === "Pending"
      : !holdsBudget(node.phase) && !isFinal(node.phase);
  return behind ? { ...node, phase: claim } : node;
}

/** What of a Node the engine and its workers act on: not the timestamps a heartbeat rewrites. */
function nodeDigest(object: unknown): string {
  const node = object as V1Node;
  return JSON.stringify([
    node.metadata?.labels,
    node.metadata?.annotations,
    node.spec,
    nodeReady(node),
    node.status?.nodeInfo?.bootID,
    node.status?.nodeInfo?.kubeletVersion,
    node.status?.addresses,
  ]);
}

/** A Node as the schedule sees it, its phase read from what this plan recorded on it. */
function fleetNode(
  node: V1Node,
  planName: string,
  target: string,
  kubelet: string | undefined,
): FleetNode {
  const record = readRecord(node.metadata?.annotations);
  // Until the target is known, a finished record may be of another image under the same plan name.
  const ours =
    record.plan === planName &&
    record.kubelet === kubelet &&
    (target
      ? !record.target || record.target === target
      : isNodePhase(record.phase) && !isFinal(record.phase));
  // A newer plan already took it further: this one must not stage a downgrade (an older plan
  // running again after a restart). It counts as done here, and its record is left as it is.
  const ahead =
    !ours && record.phase === "Done" && target !== "" && compareVersions(record.target, target) > 0;
  const phase = ahead ? "Done" : ours && isNodePhase(record.phase) ? record.phase : "Pending";
  // Another plan holds a node only while it has work on it: staged or out of service.
  const busy = (p: NodePhase) => p === "Staging" || p === "Staged" || holdsBudget(p);
  const heldBy =
    record.plan && record.plan !== planName && isNodePhase(record.phase) && busy(record.phase)
      ? record.plan
      : undefined;
  // Written by this controller, but any client can change an annotation: only whole milliseconds count.
  const outOfService = /^\d{1,12}$/.test(record.lastOutOfServiceMs ?? "")
    ? Number(record.lastOutOfServiceMs)
    : -1;
  return {
    name: node.metadata?.name ?? "",
    controlPlane: isControlPlane(node),
    phase,
    ready: nodeReady(node),
    cordonedByOthers: cordonedByOthers(node),
    ...(heldBy ? { heldBy } : {}),
    ...(outOfService >= 0 ? { lastOutOfServiceMs: outOfService } : {}),
    ...(record.reason ? { reason: record.reason } : {}),
    ...(ahead
      ? { reason: `${record.plan} took it to ${record.target}, newer than ${target}` }
      : {}),
  };
}

/** A local bundle says its version in its header; a URL's is learnt when a node stages it. */
async function knownTarget(plan: ResolvedPlan): Promise<string> {
  if (isBundleUrl(plan.image)) return "";
  try {
    return (await readBundleLayout(plan.image)).manifest.version;
  } catch (error) {
    throw new KeelsonError(
      "invalidArgument",
      `spec.image: cannot read the bundle ${plan.image}: ${KeelsonError.from(error).message}`,
      "give a bundle file the controller can read, or an http(s) URL the nodes can fetch",
    );
  }
}

function apiProblem(error: unknown): { problem: string } {
  return {
    problem: `waiting for the Kubernetes API to list Nodes: ${describeError(error)}`,
  };
}

/**
 * The target a node's record of this plan names: a record in flight is of
 * this plan's image; a finished one only if it names this plan's bundle (the
 * plan may have carried another image under the same name before).
 */
function recordedTarget(nodes: readonly V1Node[], planName: string, bundle: string): string {
  for (const node of nodes) {
    const r = readRecord(node.metadata?.annotations);
    const inFlight = isNodePhase(r.phase) && !isFinal(r.phase);
    if (r.plan === planName && r.target && (inFlight || r.bundle === bundle)) return r.target;
  }
  return "";
}
