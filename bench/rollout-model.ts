/**
 * The yardsticks of the rollout benchmark, pure so a spec can check them:
 * each node's drain and reboot times drawn from a seed, the ideal schedule
 * over `m` identical slots (the budget) those times allow, and a model of a
 * periodic-lock rebooter with kured's defaults on the same times.
 */
import { seededRandom } from "../src/testing/chaos";

export interface NodeTimes {
  drainMs: number;
  rebootMs: number;
}

export interface Range {
  minMs: number;
  maxMs: number;
}

/** Uniform draws, whole milliseconds, the same for the same seed. */
export function drawTimes(count: number, seed: number, drain: Range, reboot: Range): NodeTimes[] {
  const random = seededRandom(seed);
  const draw = (r: Range) => Math.round(r.minMs + random() * (r.maxMs - r.minMs));
  return Array.from({ length: count }, () => ({ drainMs: draw(drain), rebootMs: draw(reboot) }));
}

/** What a node costs the budget at best: its pods stopping, then its reboot. */
export const serviceMs = (t: NodeTimes) => t.drainMs + t.rebootMs;

/**
 * No schedule on `slots` identical machines finishes before the longest job,
 * nor before the total work spread evenly over every slot.
 */
export function lowerBoundMs(durations: readonly number[], slots: number): number {
  const total = durations.reduce((a, b) => a + b, 0);
  return Math.max(Math.max(0, ...durations), total / slots);
}

/**
 * Greedy list scheduling with no overhead: each job, in the order given,
 * starts on the slot that frees first. In the fleet's order it is what an
 * ideal controller (one that cannot know the times) achieves; sorted longest
 * first (LPT) it is within 4/3 of the optimum, and usually at the bound.
 */
export function listScheduleMs(durations: readonly number[], slots: number): number {
  const free = new Array<number>(Math.max(1, slots)).fill(0);
  for (const d of durations) {
    let at = 0;
    for (let i = 1; i < free.length; i++) if ((free[i] ?? 0) < (free[at] ?? 0)) at = i;
    free[at] = (free[at] ?? 0) + d;
  }
  return Math.max(...free);
}

export const lptScheduleMs = (durations: readonly number[], slots: number) =>
  listScheduleMs(
    [...durations].sort((a, b) => b - a),
    slots,
  );

export interface PeriodicLockOptions {
  durations: readonly number[];
  /** How many nodes may hold the lock at once (kured's --concurrency, default 1). */
  concurrency: number;
  /** How often each node checks (kured's --period, default 1 h). */
  periodMs: number;
  seed: number;
}

export interface PeriodicLockResult {
  makespanMs: number;
  /** When each node took the lock. */
  startsMs: number[];
  /** The most checks one node made before it got the lock. */
  maxChecks: number;
}

/**
 * A periodic-lock rebooter as kured works: every node needs a reboot from
 * time 0 and checks once per period, at its own random offset in the
 * period; a check takes the lock when fewer than `concurrency` nodes hold
 * it, and the node then drains, reboots and releases the lock once it is
 * back. A node that finds the lock full waits for its next check.
 */
export function periodicLock(options: PeriodicLockOptions): PeriodicLockResult {
  const { durations, concurrency, periodMs } = options;
  const random = seededRandom(options.seed);
  const offsets = durations.map(() => random() * periodMs);
  // One pass per period: within it, checks in time order; holders are release times.
  let holders: number[] = [];
  let waiting = durations.map((_, i) => i).sort((a, b) => (offsets[a] ?? 0) - (offsets[b] ?? 0));
  const startsMs = durations.map(() => 0);
  let makespanMs = 0;
  let period = 0;
  while (waiting.length > 0) {
    const next: number[] = [];
    for (const node of waiting) {
      const at = period * periodMs + (offsets[node] ?? 0);
      holders = holders.filter((release) => release > at);
      if (holders.length >= concurrency) {
        next.push(node);
        continue;
      }
      const release = at + (durations[node] ?? 0);
      startsMs[node] = at;
      holders.push(release);
      makespanMs = Math.max(makespanMs, release);
    }
    waiting = next;
    period++;
  }
  return { makespanMs, startsMs, maxChecks: period };
}
