import type { PlanStatus } from "../engine/plan-engine";
import type { KubeApis } from "../kube/kube-apis";
import { type EventType, objectEvent } from "../kube/object-events";
import { planGroup, planVersion } from "../plan";
import { isFailure } from "../schedule";

interface Condition {
  type: string;
  status: "True" | "False";
  reason: string;
  message: string;
  observedGeneration: number;
  lastTransitionTime: string;
}

/**
 * What one plan generation tells the cluster: its status (conditions whose
 * transition time moves only when they change, the ETA, the deadline) and
 * Events on the plan for what a person should hear of: started, a node
 * failed, halted, succeeded, a deadline that will be missed.
 */
export class PlanReporter {
  private readonly conditions = new Map<string, Condition>();
  private readonly said = new Set<string>();

  constructor(
    private readonly apis: KubeApis,
    private readonly plan: { name: string; uid?: string },
    private readonly generation: number,
  ) {}

  body(status: PlanStatus) {
    const done = status.nodes.filter((n) => n.phase === "Done").length;
    const summary = summaryOf(status);
    const deadline = status.forecast.deadlineMissed;
    const conditions = [
      this.condition(
        "Progressing",
        !status.finished,
        summary,
        `${done}/${status.nodes.length} nodes done`,
      ),
      this.condition(
        "Succeeded",
        summary === "Succeeded",
        summary,
        summary === "Succeeded" ? `every node runs ${status.target}` : "",
      ),
      this.condition(
        "Halted",
        status.halted !== undefined,
        status.halted ? "NodeFailed" : "None",
        status.halted ?? "",
      ),
      this.condition(
        "DeadlineAtRisk",
        deadline !== undefined,
        deadline ? "PredictedLate" : "None",
        deadline ?? "",
      ),
    ];
    const { eta, estimated } = status.forecast;
    return {
      target: status.target,
      summary,
      done,
      total: status.nodes.length,
      budget: status.budget,
      unavailable: status.unavailable.length,
      ...(eta !== undefined && !status.finished
        ? { eta: new Date(eta).toISOString(), etaEstimated: estimated }
        : {}),
      nodes: status.nodes,
      conditions,
    };
  }

  /** Says each thing once per generation; best effort, like every Event. */
  async events(status: PlanStatus): Promise<void> {
    const summary = summaryOf(status);
    await this.say(
      "started",
      "Normal",
      "Started",
      `upgrading ${status.nodes.length} node(s)${status.target ? ` to ${status.target}` : ""}`,
    );
    for (const n of status.nodes.filter((n) => isFailure(n.phase) || n.phase === "Skipped"))
      await this.say(
        `${n.name}/${n.phase}`,
        "Warning",
        `Node${n.phase}`,
        `${n.name}: ${n.message}`,
      );
    if (status.forecast.deadlineMissed)
      await this.say("deadline", "Warning", "DeadlineAtRisk", status.forecast.deadlineMissed);
    if (summary === "Halted") await this.say("halted", "Warning", "Halted", status.halted ?? "");
    if (summary === "Succeeded")
      await this.say("succeeded", "Normal", "Succeeded", `every node runs ${status.target}`);
  }

  private async say(key: string, type: EventType, reason: string, message: string): Promise<void> {
    if (this.said.has(key)) return;
    this.said.add(key);
    await objectEvent(
      this.apis,
      {
        apiVersion: `${planGroup}/${planVersion}`,
        kind: "UpgradePlan",
        name: this.plan.name,
        ...(this.plan.uid ? { uid: this.plan.uid } : {}),
      },
      type,
      reason,
      message,
    );
  }

  private condition(type: string, on: boolean, reason: string, message: string): Condition {
    const status = on ? "True" : "False";
    const last = this.conditions.get(type);
    const next: Condition = {
      type,
      status,
      reason,
      message,
      observedGeneration: this.generation,
      lastTransitionTime:
        last?.status === status ? last.lastTransitionTime : new Date().toISOString(),
    };
    this.conditions.set(type, next);
    return next;
  }
}

/** A condition written for a plan that never ran: its spec is invalid. */
export function invalidCondition(message: string, generation: number): Condition {
  return {
    type: "Invalid",
    status: "True",
    reason: "InvalidSpec",
    message,
    observedGeneration: generation,
    lastTransitionTime: new Date().toISOString(),
  };
}

function summaryOf(status: PlanStatus): "Halted" | "Succeeded" | "Progressing" {
  if (status.halted) return "Halted";
  const ok = status.nodes.every((n) => n.phase === "Done" || n.phase === "Skipped");
  return status.finished && ok ? "Succeeded" : "Progressing";
}
