import type { ResolvedPlan } from "../plan/resolve-plan";
import { type FleetNode, forecastFinish, holdsBudget, isFinal, type Schedule } from "../schedule";
import type { PlanStats } from "./plan-stats";

/** A node's time out of service until one has been measured: drain, reboot, checks. */
export const assumedNodeMs = 5 * 60_000;

export interface PlanForecast {
  /** When the plan should finish (ms since the epoch); undefined when no window ever opens. */
  eta?: number;
  /** True while no node has finished here to measure by: the ETA assumes 5 min a node. */
  estimated: boolean;
  /** Set when the deadline cannot be met: says the predicted finish. */
  deadlineMissed?: string;
}

/**
 * The ETA and, for a plan with a deadline, whether it will be met. Keelson
 * always runs as many nodes at once as the budget allows, so a deadline
 * cannot make it go faster than this: it is warned about at once instead.
 */
export function planForecast(
  plan: ResolvedPlan,
  fleet: readonly FleetNode[],
  decision: Schedule,
  stats: PlanStats,
  now: number,
): PlanForecast {
  const measured = stats.meanNodeMs();
  const nodeMs = measured ?? assumedNodeMs;
  const toGo = fleet.filter((f) => !isFinal(f.phase) && !holdsBudget(f.phase));
  const inFlight = fleet.filter((f) => holdsBudget(f.phase)).length;
  const othersOut = decision.unavailable.length - inFlight;
  const canaryToGo =
    plan.canary.enabled && inFlight === 0 && !fleet.some((f) => f.phase === "Done");
  const eta = forecastFinish({
    now,
    controlPlanes: toGo.filter((f) => f.controlPlane).length,
    workers: toGo.filter((f) => !f.controlPlane).length,
    inFlight,
    parallel: Math.max(1, decision.budget - Math.max(0, othersOut)),
    nodeMs,
    ...(canaryToGo ? { canarySoakMs: Math.max(plan.canary.soakMs, plan.soakMs) } : {}),
    windows: plan.critical ? [] : plan.windows,
  });
  const forecast: PlanForecast = { estimated: measured === undefined };
  if (eta !== undefined) forecast.eta = eta;
  if (plan.deadline !== undefined && (eta === undefined || eta > plan.deadline))
    forecast.deadlineMissed = `the deadline ${iso(plan.deadline)} will be missed: ${
      eta === undefined
        ? "no maintenance window opens for the rest"
        : `predicted finish ${iso(eta)}`
    }, with ${decision.budget} node(s) out at once (maxUnavailable)${
      measured === undefined ? ", assuming 5 min a node until one is measured" : ""
    }`;
  return forecast;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
