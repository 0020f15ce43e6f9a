import { isFailure, isNodePhase, nodePhases } from "../../controller/schedule";
import type { BarState } from "./node-bars";

/** The way to Done: each phase one step further along a node's bar. */
const steps = nodePhases.slice(0, nodePhases.indexOf("Done") + 1) as readonly string[];

/** A node's bar for its phase in an upgrade plan: how far along, and finished well or badly. */
export function phaseBar(phase: string, message: string): BarState {
  const step = steps.indexOf(phase);
  const failed = isNodePhase(phase) && isFailure(phase);
  const done = phase === "Done" || phase === "Skipped" ? "ok" : failed ? "failed" : undefined;
  return {
    phase,
    message,
    ...(step >= 0 ? { percent: Math.round((step / (steps.length - 1)) * 100) } : {}),
    ...(done ? { done } : {}),
  };
}
