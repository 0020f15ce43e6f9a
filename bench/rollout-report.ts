/**
 * The rollout benchmark's figures, from the Node watch's timeline and the
 * drawn times: makespan against the ideal schedules, the hand-off from a
 * finished node to the next, where each node's time went, and the
 * periodic-lock model on the same times. Printed, and written to
 * bench/rollout-results.json.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { FleetReport } from "./rollout-fleet";
import {
  listScheduleMs,
  lptScheduleMs,
  type NodeTimes,
  periodicLock,
  type Range,
  serviceMs,
} from "./rollout-model";
import type { Usage } from "./rollout-processes";
import { handoffDelays, holding, percentile, type Timeline, takenAt } from "./rollout-timeline";

export interface RolloutSettings {
  nodeCount: number;
  budget: number;
  seed: number;
  drainRange: Range;
  rebootRange: Range;
  podsPerNode: number;
}

/** One rollout of the run: the plan's target and what the controller knew of the nodes. */
export interface Rollout {
  target: string;
  /** What the nodes' records hold when it starts. */
  history: string;
  /** How many times each node has rebooted once it is over. */
  reboots: number;
}

const hourMs = 3_600_000;
export const seconds = (ms: number) => Math.round(ms / 100) / 10;

export interface Measured {
  t0: number;
  times: NodeTimes[];
  lb: number;
  before: Usage;
  after: Usage;
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

/** Prints the table and the figures behind it; returns them with whether every target was met. */
export function summarise(m: Measured, s: RolloutSettings, r: Rollout) {
  const names = Array.from(
    { length: s.nodeCount },
    (_, i) => `node-${String(i).padStart(String(s.nodeCount - 1).length, "0")}`,
  );
  const durations = m.times.map(serviceMs);
  const seen = names.map((n) => m.timeline.seen.get(n) ?? {});
  const done = seen.map((phases) => phases.Done ?? Number.NaN);
  const taken = seen.map((phases) => takenAt(phases) ?? Number.NaN);
  const makespanMs = Math.max(...done) - m.t0;
  const cordoned = seen.map((phases) => phases.unschedulable ?? Number.NaN);
  const delays = handoffDelays(cordoned, done, s.budget);
  const perNode = seen.map((_, i) => (done[i] ?? 0) - (taken[i] ?? 0) - (durations[i] ?? 0));
  const kured = (concurrency: number) =>
    periodicLock({ durations, concurrency, periodMs: hourMs, seed: s.seed }).makespanMs;
  const kured1 = kured(1);
  const kured50 = kured(s.budget);
  const results = {
    date: new Date().toISOString(),
    nodes: s.nodeCount,
    maxUnavailable: s.budget,
    seed: s.seed,
    drawnMs: { drain: s.drainRange, reboot: s.rebootRange },
    target: r.target,
    history: r.history,
    plan: "URL bundle with pinned sha256, canary disabled, soak 0, default health checks (boot committed, Node Ready)",
    podsPerNode: s.podsPerNode,
    setupSeconds: m.setupSeconds,
    makespanSeconds: seconds(makespanMs),
    lowerBoundSeconds: seconds(m.lb),
    ratioToLowerBound: Number((makespanMs / m.lb).toFixed(4)),
    listScheduleInFleetOrderSeconds: seconds(listScheduleMs(durations, s.budget)),
    lptScheduleSeconds: seconds(lptScheduleMs(durations, s.budget)),
    finishToNextCordonMs: stats(delays),
    /** The same to the next node entering the Cordoned phase: when the budget is taken. */
    finishToNextTakenMs: stats(handoffDelays(taken, done, s.budget)),
    overheadPerNodeMs: stats(perNode),
    overheadByPhaseMs: phaseOverheads(m, names),
    maxUnavailableSeen: m.timeline.maxOut,
    maxHoldingBudgetSeen: m.timeline.maxHolding,
    nodesBackFromDone: m.timeline.reopened,
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
      [`concurrency${s.budget}`]: {
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
      `${m.timeline.maxOut} (${m.timeline.maxHolding} in the plan's phases; ${m.timeline.reopened} back from Done)`,
      `≤ ${s.budget}`,
      m.timeline.maxOut <= s.budget,
    ],
    [
      `nodes on ${r.target}, rebooted ${r.reboots}×`,
      `${m.report.committed[r.target] ?? 0} committed, ${m.report.boots[r.reboots] ?? 0} rebooted ${r.reboots}×`,
      `${s.nodeCount}`,
      m.report.committed[r.target] === s.nodeCount && m.report.boots[r.reboots] === s.nodeCount,
    ],
    ["controller CPU (rollout)", `${results.controller.cpuSecondsDuringRollout} s`, "", true],
    ["controller RSS peak", `${results.controller.peakRssMiB} MiB`, "", true],
  ] as const;
  console.log(`\nrollout to ${r.target}; history: ${r.history}`);
  console.table(
    targets.map(([metric, value, goal, met]) => ({
      metric,
      value,
      target: goal,
      met: met ? "yes" : "NO",
    })),
  );
  console.log(`
rollout: ${s.nodeCount} virtual nodes, maxUnavailable ${s.budget}, seed ${s.seed}; drain ${s.drainRange.minMs / 1000}–${s.drainRange.maxMs / 1000} s, reboot ${s.rebootRange.minMs / 1000}–${s.rebootRange.maxMs / 1000} s (uniform); ${results.plan}
  ideal schedules     lower bound ${results.lowerBoundSeconds} s, LPT ${results.lptScheduleSeconds} s, greedy in fleet order ${results.listScheduleInFleetOrderSeconds} s
  finish → next taken p50 ${results.finishToNextTakenMs.p50} ms, p99 ${results.finishToNextTakenMs.p99} ms (to its Cordoned phase, when the budget is taken; the table's figure is to spec.unschedulable)
  overhead per node   p50 ${results.overheadPerNodeMs.p50} ms, p99 ${results.overheadPerNodeMs.p99} ms (taken → Done, minus drawn drain + reboot)
  by phase (p50)      ${Object.entries(results.overheadByPhaseMs)
    .map(([phase, st]) => `${phase} ${st.p50} ms`)
    .join(", ")}
  kured model         60 min period: concurrency 1 ${results.kured.concurrency1.makespanHours} h (${results.kured.concurrency1.ratio}×), concurrency ${s.budget} ${(kured50 / hourMs).toFixed(2)} h (${(kured50 / makespanMs).toFixed(1)}×)
  fleet process       ${results.fleetProcess.cpuSeconds} CPU s, peak RSS ${results.fleetProcess.peakRssMiB} MiB (kubesim, ${s.nodeCount} kubelets and agents)
  took                ${results.durationSeconds} s since the run started`);
  return { ...results, targetsMet: targets.every((t) => t[3]) };
}

/** Every rollout's figures, in bench/rollout-results.json. */
export async function writeResults(rollouts: readonly object[]): Promise<void> {
  const file = join(import.meta.dirname, "rollout-results.json");
  await writeFile(file, `${JSON.stringify({ rollouts }, null, 2)}\n`);
  console.log(`written to ${file}`);
}
