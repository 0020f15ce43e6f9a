import type { ResolvedPlan } from "../plan/resolve-plan";
import { budgetOf } from "./budget";
import { longestFirst, quickestFirst } from "./longest-first";
import { holdsBudget, isFailure, isFinal, type NodePhase } from "./node-phase";
import { inWindow, nextOpening } from "./windows";

/** What the engine knows of one selected node when it decides. */
export interface FleetNode {
  name: string;
  controlPlane: boolean;
  phase: NodePhase;
  /** The Node's Ready condition in Kubernetes. */
  ready: boolean;
  /** Cordoned, and not by this plan. */
  cordonedByOthers: boolean;
  /** Another plan is upgrading it. */
  heldBy?: string;
  /** How long its last upgrade kept it out of service (ms), when one was recorded. */
  lastOutOfServiceMs?: number;
  /** Why it failed, fell back or was skipped, as recorded. */
  reason?: string;
}

export interface ScheduleInput {
  plan: ResolvedPlan;
  nodes: readonly FleetNode[];
  now: number;
  /** etcd as the control planes see it; absent where there is none to keep. */
  etcd?: { members: number; healthy: number };
  /** How many nodes may write their inactive slot at once. */
  stagingConcurrency: number;
}

export interface Schedule {
  /** Start writing the bundle (Pending → Staging). */
  stage: string[];
  /** Take out of service (Staged → Cordoned). */
  cordon: string[];
  /** Why each node that could go next does not. */
  waiting: Record<string, string>;
  budget: number;
  unavailable: string[];
  halted?: string;
}

/**
 * The one decision of the engine, pure so it can be checked over random
 * fleets: which nodes start staging and which are taken out of service now,
 * never more unavailable than the budget (nodes already NotReady or cordoned
 * by someone else count), control planes first and one at a time while etcd
 * keeps quorum, a canary alone until it is done, only inside a window unless
 * the plan is critical. Nodes go longest expected first (see longestFirst),
 * after a canary expected back soonest.
 */
export function schedule(input: ScheduleInput): Schedule {
  const { plan, nodes, now } = input;
  const budget = budgetOf(
    plan.critical ? plan.criticalMaxUnavailable : plan.maxUnavailable,
    nodes.length,
  );
  const unavailable = nodes
    .filter((n) => holdsBudget(n.phase) || (!isFinal(n.phase) && (!n.ready || n.cordonedByOthers)))
    .map((n) => n.name);
  const out: Schedule = { stage: [], cordon: [], waiting: {}, budget, unavailable };
  const canaryPending = plan.canary.enabled && !nodes.some((n) => n.phase === "Done");
  // Ranked over the whole fleet, so a node without history counts as the fleet's median throughout.
  const ranked = longestFirst(nodes).filter((n) => !isFinal(n.phase) && !holdsBudget(n.phase));
  // The canary comes from the pool that goes first: control planes while any is left.
  const controlPlanesFirst = ranked.some((n) => n.controlPlane);
  // With no history at all every node is alike: the canary is the fleet's first, as without ranking.
  const known = nodes.some((n) => n.lastOutOfServiceMs !== undefined);
  const open =
    canaryPending && known
      ? quickestFirst(ranked, (n) => !n.heldBy && n.controlPlane === controlPlanesFirst)
      : ranked;

  const halted = haltReason(plan, nodes);
  // A halted plan stages nothing more (what it staged is disarmed); a paused one starts nothing new.
  const staging = nodes.filter((n) => n.phase === "Staging").length;
  const stageable =
    halted || plan.paused ? [] : open.filter((n) => n.phase === "Pending" && !n.heldBy);
  out.stage = stageable
    .slice(0, Math.max(0, input.stagingConcurrency - staging))
    .map((n) => n.name);
  const hold = halted ?? (plan.paused ? "the plan is paused" : closedWindow(plan, now));
  if (halted) out.halted = halted;
  for (const n of open) if (n.heldBy) out.waiting[n.name] = `waiting for plan ${n.heldBy}`;
  const candidates = open.filter((n) => !n.heldBy);
  if (hold) {
    for (const n of candidates) out.waiting[n.name] = hold;
    return out;
  }

  const inFlight = nodes.filter((n) => holdsBudget(n.phase));
  const wait = (reason: string, who: readonly FleetNode[]): Schedule => {
    for (const n of who) out.waiting[n.name] ??= reason;
    return out;
  };
  const controlPlanesLeft = nodes.filter((n) => n.controlPlane && !isFinal(n.phase));
  let pool = candidates;
  if (controlPlanesLeft.length > 0) {
    wait(
      "control planes go first",
      pool.filter((n) => !n.controlPlane),
    );
    pool = pool.filter((n) => n.controlPlane);
    const busy = inFlight.find((n) => n.controlPlane);
    if (busy) return wait(`one control plane at a time: ${busy.name} is upgrading`, pool);
    const quorumProblem = etcdProblem(input.etcd);
    if (quorumProblem) return wait(quorumProblem, pool);
    pool = pool.slice(0, 1);
  }
  if (canaryPending) {
    const canary = inFlight[0];
    if (canary) return wait(`the canary ${canary.name} goes alone until it is done`, pool);
    pool = pool.slice(0, 1);
  }
  let free = budget - unavailable.length;
  const alreadyOut = new Set(unavailable);
  // One message for every node the budget holds back: built once, not per node (a fleet is thousands).
  let full: string | undefined;
  for (const n of pool) {
    if (n.phase !== "Staged") {
      out.waiting[n.name] ??=
        n.phase === "Staging" ? "writing its inactive slot" : "waiting to stage";
      continue;
    }
    // A node already unavailable costs nothing more to take.
    const cost = alreadyOut.has(n.name) ? 0 : 1;
    if (cost > free) {
      full ??= `budget: ${unavailable.length} of ${budget} unavailable (${unavailable.join(", ")})`;
      out.waiting[n.name] ??= full;
      continue;
    }
    free -= cost;
    out.cordon.push(n.name);
  }
  return out;
}

function haltReason(plan: ResolvedPlan, nodes: readonly FleetNode[]): string | undefined {
  const failed = nodes.filter((n) => isFailure(n.phase)).map((n) => n.name);
  if (failed.length === 0) return undefined;
  if (plan.onFailure === "halt") return `halted: ${failed.join(", ")} failed`;
  if (failed.length > plan.maxFailures)
    return `halted: ${failed.length} failures (${failed.join(", ")}) exceed maxFailures ${plan.maxFailures}`;
  return undefined;
}

function closedWindow(plan: ResolvedPlan, now: number): string | undefined {
  if (plan.critical || inWindow(plan.windows, now)) return undefined;
  const next = nextOpening(plan.windows, now);
  return next === undefined
    ? "outside every maintenance window"
    : `outside the maintenance windows (the next opens ${new Date(next).toISOString()})`;
}

function etcdProblem(etcd: ScheduleInput["etcd"]): string | undefined {
  if (!etcd || etcd.members === 0) return undefined;
  const quorum = Math.floor(etcd.members / 2) + 1;
  // One or two members cannot lose any without losing quorum: no order avoids it, so waiting
  // would never end. Such a cluster is upgraded one member at a time while all are healthy.
  if (etcd.healthy - 1 >= quorum || (etcd.members <= 2 && etcd.healthy === etcd.members))
    return undefined;
  return `etcd would lose quorum: ${etcd.healthy} of ${etcd.members} members healthy, ${quorum} needed after one leaves`;
}
