/**
 * The rollout as a Node watch sees it: when each node entered each phase the
 * controller records on it, and how many nodes were out of service at once.
 * The figures come from these times alone, so they are the cluster's view,
 * not the controller's own account.
 */
import { annotations } from "../src/controller/kube/node-annotations";
import type { KubeClient } from "../src/machinery/kube";

/** The phases that hold a budget slot, in order; "Done" frees it. */
export const holding = ["Cordoned", "Draining", "Rebooting", "Verifying", "Soaking"] as const;

interface NodeEvent {
  type?: string;
  object?: {
    metadata?: { name?: string; resourceVersion?: string; annotations?: Record<string, string> };
    spec?: { unschedulable?: boolean };
    status?: { conditions?: { type: string; status: string }[] };
  };
}

export class Timeline {
  /** Per node, the first time (ms since the epoch) it was seen in each phase. */
  readonly seen = new Map<string, Record<string, number>>();
  /** The most nodes out of service at once: in a phase that holds the budget, cordoned or NotReady. */
  maxOut = 0;
  /** The most in a phase that holds the budget at once: what the controller itself took. */
  maxHolding = 0;
  /** Nodes seen going back from Done to a phase that holds the budget: work done twice. */
  reopened = 0;
  private readonly last = new Map<string, string>();
  private readonly out = new Set<string>();
  private readonly holding = new Set<string>();
  private resourceVersion = "";
  private readonly stop = new AbortController();
  private waiters: (() => void)[] = [];

  /** Follows the phases `plan` records; another plan's are not this rollout's. */
  constructor(
    private readonly client: KubeClient,
    private readonly plan: string,
  ) {}

  /** Watches Nodes from `resourceVersion` until stopped, reopening where it left off. */
  async follow(resourceVersion: string): Promise<void> {
    this.resourceVersion = resourceVersion;
    while (!this.stop.signal.aborted) {
      const path = `/api/v1/nodes?watch=true&allowWatchBookmarks=true&resourceVersion=${this.resourceVersion}`;
      await this.client
        .stream(path, (event) => this.onEvent(event as NodeEvent), this.stop.signal)
        .catch(() => new Promise((r) => setTimeout(r, 200)));
    }
  }

  close(): void {
    this.stop.abort();
  }

  count(phase: string): number {
    let n = 0;
    for (const phases of this.seen.values()) if (phases[phase] !== undefined) n++;
    return n;
  }

  /** Resolves at the next event, so callers can wait for a condition without polling. */
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private onEvent(event: NodeEvent): void {
    const now = Date.now();
    const meta = event.object?.metadata;
    if (meta?.resourceVersion) this.resourceVersion = meta.resourceVersion;
    const name = meta?.name;
    if (!name || (event.type !== "ADDED" && event.type !== "MODIFIED")) return;
    const ours = meta.annotations?.[annotations.plan] === this.plan;
    const phase = ours ? meta.annotations?.[annotations.phase] : undefined;
    const phases = this.seen.get(name) ?? {};
    if (phase && phases[phase] === undefined) phases[phase] = now;
    // The cordon itself, which the controller writes just after the Cordoned phase.
    if (event.object?.spec?.unschedulable === true) phases.unschedulable ??= now;
    this.seen.set(name, phases);
    const ready = event.object?.status?.conditions?.some(
      (c) => c.type === "Ready" && c.status === "True",
    );
    const holds = (holding as readonly string[]).includes(phase ?? "");
    if (holds && this.last.get(name) === "Done") this.reopened++;
    if (phase) this.last.set(name, phase);
    const isOut = holds || event.object?.spec?.unschedulable === true || !ready;
    for (const [set, member] of [
      [this.out, isOut],
      [this.holding, holds],
    ] as const)
      if (member) set.add(name);
      else set.delete(name);
    this.maxOut = Math.max(this.maxOut, this.out.size);
    this.maxHolding = Math.max(this.maxHolding, this.holding.size);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** When a node took a budget slot: the first holding phase it was seen in. */
export function takenAt(phases: Record<string, number>): number | undefined {
  const times = holding.map((p) => phases[p]).filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.min(...times) : undefined;
}

/**
 * The delay from each node finishing to the next node taking the freed slot,
 * while nodes were still waiting: with `slots` in use, the k-th finish frees
 * the slot the (slots + k)-th node takes.
 */
export function handoffDelays(
  taken: readonly number[],
  finished: readonly number[],
  slots: number,
): number[] {
  const t = [...taken].sort((a, b) => a - b);
  const f = [...finished].sort((a, b) => a - b);
  const delays: number[] = [];
  for (let k = 0; slots + k < t.length && k < f.length; k++)
    delays.push((t[slots + k] ?? 0) - (f[k] ?? 0));
  return delays;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
