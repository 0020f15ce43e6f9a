import type { V1Node } from "@kubernetes/client-node";
import { upgradeOutcome } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import type { ChangeSignal } from "../kube/changes";
import { cordon, uncordon } from "../kube/cordon";
import { deletePods, drainNode } from "../kube/drain";
import { isTransient, type KubeApis } from "../kube/kube-apis";
import type { NodeRecord } from "../kube/node-annotations";
import { nodeEvent } from "../kube/object-events";
import type { NodeApi } from "../nodes/node-api";
import type { ResolvedPlan } from "../plan/resolve-plan";
import type { NodePhase } from "../schedule";
import { failingChecks } from "./health-checks";
import { internalAddress, nodeReady, writeRecord } from "./node-record";
import type { PlanStats } from "./plan-stats";

export interface WorkerContext {
  apis: KubeApis;
  nodes: NodeApi;
  plan: ResolvedPlan;
  planName: string;
  /** The OS version this plan takes nodes to, recorded on each node ("" until known: a URL's is learnt when the first node stages it). */
  target: string;
  changes: ChangeSignal;
  signal: AbortSignal;
  /** Live status for a node: its phase and what it is doing. */
  report(node: string, phase: NodePhase, message: string): void;
  /** The canary soaks longer: true while no node is Done. */
  isCanary(): boolean;
  stats: PlanStats;
}

/** How long a node may take to come back and settle after its reboot (its tries included). */
const settleMs = 30 * 60_000;

/** Pending → Staging → Staged: the bundle goes to the inactive slot while the node still serves. */
export async function stageNode(ctx: WorkerContext, node: V1Node): Promise<void> {
  const name = node.metadata?.name ?? "";
  const address = internalAddress(node);
  await enter(ctx, name, "Staging", "writing the inactive slot");
  try {
    if (!address) throw new KeelsonError("failedPrecondition", `${name} reports no InternalIP`);
    const now = await ctx.nodes.bootState(address);
    const runs = (version: string) =>
      now.runningVersion === version && now.runningCommitted && !kubeletBehind(ctx, node);
    if (ctx.target && runs(ctx.target))
      return await enter(ctx, name, "Done", `already runs ${describeTarget(ctx)}`);
    const { kubernetesVersion } = ctx.plan;
    const version = await ctx.nodes.stage(
      address,
      { image: ctx.plan.image, ...(ctx.plan.sha256 ? { sha256: ctx.plan.sha256 } : {}) },
      {
        tries: ctx.plan.tries,
        signal: ctx.signal,
        ...(kubernetesVersion ? { kubernetesVersion } : {}),
      },
    );
    ctx.target ||= version;
    // A restarted engine that did not know its target yet may stage what the node already runs.
    if (runs(version)) {
      await ctx.nodes.cancel(address);
      return await enter(ctx, name, "Done", `already runs ${describeTarget(ctx)}`);
    }
    await enter(ctx, name, "Staged", `${describeTarget(ctx)} staged, waiting for its turn`);
  } catch (error) {
    if (ctx.signal.aborted || isTransient(error)) throw error;
    await fail(ctx, name, "Failed", `staging failed: ${KeelsonError.from(error).message}`);
  }
}

/** Staged → Pending when the plan halts: a staged image must not boot at the next reboot. */
export async function unstageNode(ctx: WorkerContext, node: V1Node, why: string): Promise<void> {
  const name = node.metadata?.name ?? "";
  const version = await ctx.nodes.cancel(internalAddress(node) ?? "");
  await writeRecord(ctx.apis, name, {
    ...recordOf(ctx),
    phase: "Pending",
    reason: `unstaged${version ? ` ${version}` : ""}: ${why}`,
  });
  ctx.report(name, "Pending", `unstaged: ${why}`);
}

/**
 * Cordoned → Draining → Rebooting → Verifying → Soaking → Done, starting
 * from `from` (a restarted controller resumes mid-way). Every phase is
 * written before it acts, and the reboot is skipped when the node already
 * booted since it was recorded, so nothing is done twice.
 */
export async function upgradeNode(
  ctx: WorkerContext,
  node: V1Node,
  from: NodePhase,
  record: NodeRecord,
) {
  const name = node.metadata?.name ?? "";
  const address = internalAddress(node) ?? "";
  const resumed = from;
  // When the node went out of service, as recorded (a resumed worker reads it back).
  const outSince =
    from === "Staged"
      ? new Date().toISOString()
      : (record.outOfServiceSince ?? (from === "Cordoned" ? record.since : undefined));
  try {
    if (from === "Staged" || from === "Cordoned") {
      await enter(ctx, name, "Cordoned", "cordoned", { outOfServiceSince: outSince });
      await cordon(ctx.apis, await ctx.apis.core.readNode({ name }));
      from = "Draining";
    }
    if (from === "Draining") {
      await enter(ctx, name, "Draining", "evicting pods");
      if (!(await drain(ctx, name))) return;
      from = "Rebooting";
    }
    let since = record.since ? new Date(record.since) : new Date();
    if (from === "Rebooting") {
      const before = await ctx.nodes.bootId(address);
      // Resuming: the boot recorded when this plan entered Rebooting is over, so the reboot happened.
      if (resumed === "Rebooting" && record.bootId && record.bootId !== before) {
        ctx.report(name, "Rebooting", "already rebooted");
      } else {
        // A stopped engine (its plan deleted, its leadership lost) starts no reboot; a new one resumes here.
        ctx.signal.throwIfAborted();
        since = new Date();
        await enter(ctx, name, "Rebooting", "rebooting into the staged slot", { bootId: before });
        await ctx.nodes.reboot(address);
      }
      from = "Verifying";
    }
    if (from === "Verifying") {
      await enter(ctx, name, "Verifying", "waiting for the new boot to commit");
      if (!(await verify(ctx, name, address, since))) return;
      await uncordon(ctx.apis, name);
      from = "Soaking";
    }
    const soakMs = ctx.isCanary()
      ? Math.max(ctx.plan.canary.soakMs, ctx.plan.soakMs)
      : ctx.plan.soakMs;
    const outMs = Date.now() - Date.parse(outSince ?? "");
    const history = outMs >= 0 ? { lastOutOfServiceMs: `${Math.round(outMs)}` } : {};
    await enter(ctx, name, "Soaking", `soaking for ${Math.round(soakMs / 1000)} s`, history);
    await soak(ctx, name, soakMs);
    await enter(ctx, name, "Done", "upgraded");
  } catch (error) {
    // A transient error ends the worker; the engine resumes the node from its record later.
    if (ctx.signal.aborted || isTransient(error)) throw error;
    await fail(ctx, name, "Failed", KeelsonError.from(error).message);
  }
}

async function drain(ctx: WorkerContext, name: string): Promise<boolean> {
  const { onTimeout, ...options } = ctx.plan.drain;
  const result = await drainNode(ctx.apis, name, { ...options, signal: ctx.signal }, (message) =>
    ctx.report(name, "Draining", message),
  );
  ctx.stats.evictionsRefused += result.refusals;
  if (result.drained) return true;
  if (onTimeout === "force") {
    ctx.report(name, "Draining", `${result.message}: deleting them (onTimeout: force)`);
    await deletePods(ctx.apis, result.remaining);
    return true;
  }
  await fail(ctx, name, onTimeout === "skip-node" ? "Skipped" : "Failed", result.message);
  return false;
}

/** The new boot committed (or fell back), the Node Ready, the plan's checks passing. */
async function verify(
  ctx: WorkerContext,
  name: string,
  address: string,
  since: Date,
): Promise<boolean> {
  const deadline = Date.now() + Math.max(settleMs, ctx.plan.healthChecks.timeoutMs);
  let waiting = "the node to answer";
  while (Date.now() < deadline) {
    ctx.signal.throwIfAborted();
    const state = await ctx.nodes.bootState(address).catch(() => undefined);
    if (state) {
      const target = state.slots.find(
        (s) => s.name === state.nextSlot || s.name === state.runningSlot,
      );
      const o = upgradeOutcome(state, ctx.target || target?.version || "", since);
      if (o.outcome === "fell back") {
        await fail(ctx, name, "FellBack", `fell back to ${o.version}: ${o.why}`);
        return false;
      }
      waiting = o.outcome === "pending" ? o.status : "";
      if (o.outcome === "committed") {
        const node = await ctx.apis.core.readNode({ name });
        const failing = !nodeReady(node)
          ? "Node not Ready"
          : kubeletBehind(ctx, node) ||
            (await failingChecks(ctx.apis, ctx.plan.healthChecks, name));
        if (!failing) return true;
        waiting = `committed; ${failing}`;
      }
    }
    ctx.report(name, "Verifying", `waiting: ${waiting}`);
    await ctx.changes.next(2000, ctx.signal);
  }
  await fail(ctx, name, "Failed", `did not verify in time: ${waiting}`);
  return false;
}

/** Watches the node for the soak: it must stay Ready and its checks passing. */
async function soak(ctx: WorkerContext, name: string, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await ctx.changes.next(Math.min(end - Date.now(), 5000), ctx.signal);
    ctx.signal.throwIfAborted();
    const node = await ctx.apis.core.readNode({ name });
    if (!nodeReady(node))
      throw new KeelsonError("unavailable", `${name} went NotReady while soaking`);
  }
  const failing = await failingChecks(ctx.apis, ctx.plan.healthChecks, name);
  if (failing)
    throw new KeelsonError("failedPrecondition", `health checks failed after the soak: ${failing}`);
}

async function enter(
  ctx: WorkerContext,
  name: string,
  phase: NodePhase,
  message: string,
  extra: Partial<NodeRecord> = {},
): Promise<void> {
  // The Event (best effort) is sent beside the record, not after it: one round trip per phase.
  const said = nodeEvent(
    ctx.apis,
    name,
    "Normal",
    `Upgrade${phase}`,
    `${ctx.planName}: ${message}`,
  );
  try {
    await writeRecord(ctx.apis, name, {
      ...recordOf(ctx),
      phase,
      since: new Date().toISOString(),
      reason: undefined,
      bootId: undefined,
      ...extra,
    });
    // Said before the Event's answer is awaited: a pass that sees the new phase shows its message.
    ctx.report(name, phase, message);
  } finally {
    await said;
  }
}

/**
 * A node that failed is never left cordoned by the plan, nor with an image
 * staged: it keeps running what it runs, whatever its next reboot's cause.
 * (Disarming is a no-op on a node that already rebooted.)
 */
async function fail(
  ctx: WorkerContext,
  name: string,
  phase: NodePhase,
  reason: string,
): Promise<void> {
  await uncordon(ctx.apis, name).catch(() => undefined);
  const node = await ctx.apis.core.readNode({ name }).catch(() => undefined);
  const address = node && internalAddress(node);
  if (address) await ctx.nodes.cancel(address).catch(() => undefined);
  await writeRecord(ctx.apis, name, { ...recordOf(ctx), phase, reason });
  ctx.report(name, phase, reason);
  await nodeEvent(ctx.apis, name, "Warning", `Upgrade${phase}`, `${ctx.planName}: ${reason}`);
}

/** What every record of this plan carries: whose it is and where it takes the node. */
function recordOf(ctx: WorkerContext): NodeRecord {
  return {
    plan: ctx.planName,
    target: ctx.target,
    bundle: bundleOf(ctx.plan),
    kubelet: ctx.plan.kubernetesVersion,
  };
}

/** What names the plan's bundle in a record: its digest when the plan gives one. */
export function bundleOf(plan: ResolvedPlan): string {
  return plan.sha256 || plan.image;
}

function describeTarget(ctx: WorkerContext): string {
  const kubelet = ctx.plan.kubernetesVersion;
  return kubelet ? `${ctx.target} with kubelet ${kubelet}` : ctx.target;
}

/** Why the Node's kubelet is not the plan's version yet ("" when it is, or the plan leaves the kubelet alone). */
function kubeletBehind(ctx: WorkerContext, node: V1Node): string {
  const want = ctx.plan.kubernetesVersion;
  const has = node.status?.nodeInfo?.kubeletVersion ?? "";
  return want && has !== want ? `kubelet reports ${has || "no version"}, not ${want}` : "";
}
