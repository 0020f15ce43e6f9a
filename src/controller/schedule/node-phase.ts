/**
 * A node's way through one plan. Staging writes the bundle to the inactive
 * slot while the node still serves (it is not unavailable); Staged waits for
 * budget; Cordoned to Soaking hold a budget slot; the last four are final.
 */
export const nodePhases = [
  "Pending",
  "Staging",
  "Staged",
  "Cordoned",
  "Draining",
  "Rebooting",
  "Verifying",
  "Soaking",
  "Done",
  "Failed",
  "FellBack",
  "Skipped",
] as const;

export type NodePhase = (typeof nodePhases)[number];

const holding: ReadonlySet<NodePhase> = new Set([
  "Cordoned",
  "Draining",
  "Rebooting",
  "Verifying",
  "Soaking",
]);
const final: ReadonlySet<NodePhase> = new Set(["Done", "Failed", "FellBack", "Skipped"]);

/** Whether the node is out of service because of this plan. */
export const holdsBudget = (phase: NodePhase) => holding.has(phase);
export const isFinal = (phase: NodePhase) => final.has(phase);
export const isFailure = (phase: NodePhase) => phase === "Failed" || phase === "FellBack";
export const isNodePhase = (value: unknown): value is NodePhase =>
  (nodePhases as readonly unknown[]).includes(value);
