export type ApplyMode = "auto" | "no-reboot" | "staged" | "try";

export interface ApplyRequest {
  yaml: string;
  mode: ApplyMode;
  dryRun: boolean;
  /** For "try": how long until the automatic revert. */
  tryTimeoutMs: number;
  /** When set, refuse unless this revision is in force. */
  expectedRevision?: number;
  author: string;
  /**
   * With "staged": the revision goes with the upgrade armed in this slot. It
   * is in force only when that slot boots, and kept only if that boot commits.
   */
  forSlot?: string;
}

export interface Change {
  path: string;
  op: string;
  effect: "live" | "reboot";
}

/** What an apply did (or, for a dry run, would do). */
export interface ApplyResult {
  mode: ApplyMode;
  applied: Change[];
  staged: Change[];
  rebootRequired: boolean;
  diff: string;
  revision: number;
  message: string;
  tryDeadline?: Date;
  dryRun: boolean;
}
