import type { ConfigDocument } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import type { EventLog } from "../events";
import type { ApplyRequest, ApplyResult, Change } from "./apply-request";
import type { Plan } from "./plan-change";
import type { Pointer, Revision, RevisionStore } from "./revision-store";

/** The configuration in force and its revision. */
export interface InForce {
  revision: number;
  documents: ConfigDocument[];
}

/** The slot this boot runs and whether its boot is still on trial. */
export interface BootedSlot {
  slot: string;
  onTrial: boolean;
}

/** Applies the live part of a configuration to the running agent. */
export type LiveApplier = (documents: ConfigDocument[]) => void;

/**
 * The node's configuration lifecycle: every change is validated, diffed and
 * classified, stored as a numbered revision, and applied live, staged for the
 * next boot, or tried with an automatic revert. A failure at any step leaves
 * the configuration in force untouched.
 */
export class ConfigManager {
  private inForce: InForce | undefined;
  private revertTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private refusing: string | undefined;

  constructor(
    private readonly store: RevisionStore,
    private readonly events: EventLog,
    private readonly applyLive: LiveApplier,
    /** Refuses a configuration this node cannot run (a link, a disk or a kubelet image it does not have), before it is stored. */
    private readonly checkNode: (documents: ConfigDocument[]) => void | Promise<void> = () => {},
  ) {}

  /**
   * Decides what runs at this boot: a staged revision is promoted, a try that
   * was never confirmed is reverted. A revision staged with an upgrade is in
   * force only when its slot boots, and is dropped when another slot does (the
   * upgrade fell back, or was cancelled). Returns undefined when unconfigured.
   */
  boot(booted: BootedSlot): InForce | undefined {
    const pointer = this.store.pointer();
    if (!pointer) return undefined;
    let revision = pointer.committed;
    if (pointer.trying) {
      this.setPointer({ committed: pointer.trying.previous });
      revision = pointer.trying.previous;
      this.record(
        `revision ${pointer.trying.revision} was on trial at reboot; reverted to ${pointer.trying.previous}`,
      );
    } else if (pointer.staged && pointer.stagedFor && pointer.stagedFor !== booted.slot) {
      this.dropStaged(pointer.stagedFor, `slot ${booted.slot} booted instead`);
    } else if (pointer.staged && pointer.stagedFor && booted.onTrial) {
      revision = pointer.staged;
      this.record(
        `revision ${pointer.staged} is in force for slot ${booted.slot}'s boot on trial; it is kept if the boot commits`,
      );
    } else if (pointer.staged) {
      this.setPointer({ committed: pointer.staged });
      revision = pointer.staged;
      this.record(`staged revision ${pointer.staged} applied at boot`);
    }
    const stored = this.store.get(revision);
    this.inForce = { revision: stored.revision, documents: stored.documents as ConfigDocument[] };
    return this.inForce;
  }

  /** The boot of `slot` committed: the revision staged with its upgrade is kept. */
  commitBoot(slot: string): void {
    const pointer = this.store.pointer();
    if (!pointer?.staged || pointer.stagedFor !== slot) return;
    this.setPointer({ committed: pointer.staged });
    this.record(`revision ${pointer.staged} committed with slot ${slot}'s boot`);
  }

  /** The upgrade armed in `slot` will not boot: the revision staged with it goes too. */
  dropStaged(slot: string, why: string): void {
    const pointer = this.store.pointer();
    if (!pointer?.staged || pointer.stagedFor !== slot) return;
    this.setPointer({ committed: pointer.committed });
    this.record(
      `revision ${pointer.staged}, staged with slot ${slot}'s upgrade, dropped (${why}); revision ${pointer.committed} stays`,
    );
  }

  current(): InForce {
    if (!this.inForce)
      throw new KeelsonError("failedPrecondition", "the node has no configuration yet");
    return this.inForce;
  }

  /** The revision on trial (applied with a try timeout, not confirmed yet), if any. */
  onTrial(): number | undefined {
    return this.store.pointer()?.trying?.revision;
  }

  configured(): boolean {
    return this.inForce !== undefined;
  }

  /**
   * Refuses changes from now on and settles once every apply already
   * requested has finished: a power action waits for it, so no change is
   * cut off half-way by a reboot the API allowed.
   */
  quiesce(why: string): Promise<unknown> {
    this.refusing = why;
    return this.queue;
  }

  /** Applies run one at a time, each planned against the configuration the previous left. */
  apply(request: ApplyRequest): Promise<ApplyResult> {
    const next = this.queue.then(() => this.applyNow(request));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async applyNow(request: ApplyRequest): Promise<ApplyResult> {
    if (this.refusing && !request.dryRun) {
      throw new KeelsonError(
        "unavailable",
        `${this.refusing}: configuration changes wait until it is back`,
        "apply it again once the node is ready (keelctl health --wait)",
      );
    }
    const pointer = this.store.pointer();
    if (pointer?.stagedFor && !request.dryRun && request.forSlot !== pointer.stagedFor) {
      throw new KeelsonError(
        "failedPrecondition",
        `revision ${pointer.staged} goes with the upgrade in slot ${pointer.stagedFor}, which has not committed yet`,
        "wait until that boot commits (keelctl slots), or cancel the upgrade (keelctl upgrade cancel)",
      );
    }
    if (pointer?.trying && !request.dryRun) {
      throw new KeelsonError(
        "failedPrecondition",
        `revision ${pointer.trying.revision} is on trial until ${pointer.trying.deadline}`,
        "confirm it with keelctl config confirm, or wait for the automatic revert",
      );
    }
    if (request.expectedRevision && request.expectedRevision !== this.inForce?.revision) {
      throw new KeelsonError(
        "failedPrecondition",
        `the configuration changed meanwhile: revision ${this.inForce?.revision ?? 0} is in force, not ${request.expectedRevision}`,
        "fetch it again and re-apply your change",
      );
    }
    // Validation and diffing load the config library; a node that is not being changed never does.
    const { planChange } = await import("./plan-change");
    const plan = planChange(this.inForce?.documents, request);
    await this.checkNode(plan.documents);
    if (request.dryRun || plan.changes.length === 0) return this.result(plan, request, 0);
    return this.commit(plan, request);
  }

  confirm(author: string): number {
    const trying = this.store.pointer()?.trying;
    if (!trying)
      throw new KeelsonError(
        "failedPrecondition",
        "no configuration is on trial",
        "apply one with --mode try first",
      );
    clearTimeout(this.revertTimer);
    this.setPointer({ committed: trying.revision });
    this.record(`revision ${trying.revision} confirmed`, author);
    return trying.revision;
  }

  async rollback(revision: number, request: Omit<ApplyRequest, "yaml">): Promise<ApplyResult> {
    const target = this.store.get(revision);
    return this.apply({ ...request, yaml: target.yaml });
  }

  get(revision?: number): Revision {
    return this.store.get(revision || this.current().revision);
  }

  history(): { revisions: Revision[]; pointer: Pointer | undefined } {
    return { revisions: this.store.list(), pointer: this.store.pointer() };
  }

  private commit(plan: Plan, request: ApplyRequest): ApplyResult {
    const stored = this.store.add(request.yaml, plan.documents, request.author, request.mode);
    const previous = this.inForce?.revision ?? 0;
    if (request.mode === "staged") {
      this.setPointer({
        committed: previous,
        staged: stored.revision,
        ...(request.forSlot ? { stagedFor: request.forSlot } : {}),
      });
    } else if (request.mode === "try") {
      const deadline = new Date(Date.now() + request.tryTimeoutMs);
      this.setPointer({
        committed: previous,
        trying: { revision: stored.revision, previous, deadline: deadline.toISOString() },
      });
      this.revertTimer = setTimeout(
        () => this.revert(stored.revision, previous),
        request.tryTimeoutMs,
      );
      this.revertTimer.unref();
    } else {
      this.setPointer({ committed: stored.revision });
    }
    if (request.mode !== "staged") this.goLive(stored.revision, plan.documents);
    this.record(
      `revision ${stored.revision} applied (${request.mode}): ${summary(plan.changes)}`,
      request.author,
    );
    return this.result(plan, request, stored.revision);
  }

  private revert(trial: number, previous: number): void {
    if (this.store.pointer()?.trying?.revision !== trial) return;
    const back = this.store.get(previous);
    this.setPointer({ committed: previous });
    this.goLive(previous, back.documents as ConfigDocument[]);
    this.record(`revision ${trial} was not confirmed in time; reverted to ${previous}`);
  }

  private goLive(revision: number, documents: ConfigDocument[]): void {
    this.inForce = { revision, documents };
    this.applyLive(documents);
  }

  private result(plan: Plan, request: ApplyRequest, revision: number): ApplyResult {
    const staged: Change[] =
      request.mode === "staged" ? plan.changes : plan.changes.filter((c) => c.effect === "reboot");
    const pointer = this.store.pointer();
    return {
      mode: request.mode,
      applied: request.mode === "staged" ? [] : plan.changes.filter((c) => c.effect === "live"),
      staged,
      rebootRequired: staged.length > 0,
      diff: plan.diff,
      revision,
      message: plan.changes.length === 0 ? "no changes" : messageFor(request, staged.length > 0),
      tryDeadline:
        pointer?.trying && revision === pointer.trying.revision
          ? new Date(pointer.trying.deadline)
          : undefined,
      dryRun: request.dryRun,
    };
  }

  private pointer(): Pointer {
    const pointer = this.store.pointer();
    if (!pointer) throw new KeelsonError("internal", "configuration pointer missing");
    return pointer;
  }

  private setPointer(pointer: Pointer): void {
    this.store.setPointer(pointer);
  }

  private record(message: string, actor?: string): void {
    this.events.record({ kind: "config", subject: "machine configuration", message, actor });
  }
}

function summary(changes: readonly Change[]): string {
  const shown = changes
    .slice(0, 5)
    .map((c) => c.path)
    .join(", ");
  return changes.length > 5 ? `${shown} and ${changes.length - 5} more` : shown;
}

function messageFor(request: ApplyRequest, reboot: boolean): string {
  const verb = request.dryRun ? "would be" : "was";
  if (request.mode === "staged") return `the configuration ${verb} staged for the next boot`;
  if (request.mode === "try")
    return `the configuration ${verb} applied on trial; confirm it before the deadline`;
  return reboot
    ? `live settings ${verb} applied; the rest takes effect at the next reboot`
    : `the configuration ${verb} applied live`;
}
