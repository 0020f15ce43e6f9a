import { timestampDate } from "@bufbuild/protobuf/wkt";
import type { BootStateResponse } from "../api/gen/keelson/machine/v1/machine_pb";

export type UpgradeOutcome =
  | { outcome: "committed"; version: string; slot: string }
  | { outcome: "fell back"; version: string; slot: string; why: string }
  | { outcome: "pending"; status: string };

/**
 * Where an upgrade to `version` begun at `since` stands, from the node's boot
 * state: committed, fallen back from it (since then), or still pending.
 */
export function upgradeOutcome(
  state: BootStateResponse,
  version: string,
  since: Date,
): UpgradeOutcome {
  const fallback = state.lastFallback;
  if (fallback?.time && timestampDate(fallback.time) >= since && fallback.fromVersion === version)
    return {
      outcome: "fell back",
      version: state.runningVersion,
      slot: state.runningSlot,
      why: fallback.why,
    };
  if (state.runningCommitted && state.runningVersion === version)
    return { outcome: "committed", version, slot: state.runningSlot };
  const trying = state.slots.find((s) => s.name === state.runningSlot);
  return {
    outcome: "pending",
    status: state.runningCommitted
      ? `running ${state.runningVersion}`
      : `on trial: ${state.runningVersion} in slot ${state.runningSlot}, ${trying?.triesLeft ?? 0} tries left after this boot`,
  };
}
