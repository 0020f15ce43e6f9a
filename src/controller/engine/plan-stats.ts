import { isFinal, type NodePhase } from "../schedule";

export interface PhaseTotals {
  count: number;
  seconds: number;
}

/**
 * What one engine run has seen: how long nodes spent in each phase, how long
 * a node was out of service (cordoned to done), evictions the budgets
 * refused. Kept in memory, like any Prometheus counter: a restarted
 * controller starts counting again.
 */
export class PlanStats {
  readonly phases = new Map<NodePhase, PhaseTotals>();
  evictionsRefused = 0;
  private readonly current = new Map<string, { phase: NodePhase; since: number }>();
  private readonly cordonedAt = new Map<string, number>();
  private outOfService = { count: 0, ms: 0 };

  /** A node entered `phase`: the phase it left is counted. */
  entered(node: string, phase: NodePhase, at = Date.now()): void {
    const last = this.current.get(node);
    if (last?.phase === phase) return;
    if (last) {
      const totals = this.phases.get(last.phase) ?? { count: 0, seconds: 0 };
      totals.count++;
      totals.seconds += (at - last.since) / 1000;
      this.phases.set(last.phase, totals);
    }
    if (isFinal(phase)) this.current.delete(node);
    else this.current.set(node, { phase, since: at });
    if (phase === "Cordoned") this.cordonedAt.set(node, at);
    const cordoned = this.cordonedAt.get(node);
    if (phase === "Done" && cordoned !== undefined) {
      this.outOfService.count++;
      this.outOfService.ms += at - cordoned;
    }
    if (isFinal(phase)) this.cordonedAt.delete(node);
  }

  /** The mean time a node was out of service, once one has gone all the way here. */
  meanNodeMs(): number | undefined {
    const { count, ms } = this.outOfService;
    return count > 0 ? ms / count : undefined;
  }
}
