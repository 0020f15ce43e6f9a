import { setTimeout as sleep } from "node:timers/promises";
import type { EventLog } from "../events";
import type { Supervisor } from "../supervisor";
import type { Power } from "./power";

export type PowerAction = "reboot" | "shutdown";

export interface PowerRequest {
  action: PowerAction;
  actor: string;
  reason: string;
  /** Kill services at once instead of giving each its stop grace. */
  force?: boolean;
}

/** The power action under way: the one every later request joins. */
export interface InFlight {
  action: PowerAction;
  actor: string;
  reason: string;
  requestedAt: Date;
  /** A reboot that a later shutdown request turned into a shutdown. */
  wasReboot?: boolean;
}

export interface LifecycleOptions {
  /** The whole stop sequence's deadline; when it passes the node powers off anyway. */
  deadlineMs?: number;
  /** Work that must settle before services stop, such as a configuration being applied. */
  quiesce?: () => Promise<unknown>;
  /** The node's console (the agent's stderr; the serial console on the image). */
  console?: (line: string) => void;
}

/** Long enough for every service's grace in dependency order; short enough that a node always comes back. */
export const defaultPowerDeadlineMs = 60_000;

/**
 * Reboot and shutdown, done gracefully: pending work settles, services stop
 * in reverse dependency order (each within its grace, then killed), then
 * the power action. It always finishes: past the deadline the node powers
 * off anyway, says so on the console, and records it in the event log the
 * next boot shows. A request during one joins it; a shutdown requested
 * during a reboot turns it into a shutdown, never the other way round.
 */
export class Lifecycle {
  private inFlight: InFlight | undefined;
  private forced = false;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly events: EventLog,
    private readonly power: Power,
    private readonly options: LifecycleOptions = {},
  ) {}

  /**
   * Starts the action, or joins the one under way, and returns at once (so
   * the caller gets its answer before the API stops) with the action that
   * will happen and whether this request joined an earlier one.
   */
  request(request: PowerRequest): { inFlight: InFlight; joined: boolean } {
    const current = this.inFlight;
    if (current) {
      if (request.action === "shutdown" && current.action === "reboot") {
        current.action = "shutdown";
        current.wasReboot = true;
        const reason = `${request.reason} during a reboot: powering off instead`;
        this.record("action", "shutdown", reason, request.actor);
      }
      if (request.force) this.force();
      return { inFlight: current, joined: true };
    }
    const inFlight: InFlight = { ...request, requestedAt: new Date() };
    this.inFlight = inFlight;
    this.record("action", request.action, request.reason, request.actor);
    if (request.force) this.forced = true;
    setTimeout(() => void this.perform(inFlight), 50);
    return { inFlight, joined: false };
  }

  inProgress(): PowerAction | undefined {
    return this.inFlight?.action;
  }

  private force(): void {
    this.forced = true;
    void this.supervisor.stop({ graceMs: 0 });
  }

  private async perform(inFlight: InFlight): Promise<void> {
    const deadlineMs = this.options.deadlineMs ?? defaultPowerDeadlineMs;
    const stopped = this.stopEverything().then(() => true);
    const inTime = await Promise.race([stopped, sleep(deadlineMs).then(() => false)]);
    if (inTime) {
      this.record("node", inFlight.action, "all services stopped");
    } else {
      const left = this.supervisor
        .list()
        .filter((s) => !["stopped", "finished", "failed", "waiting"].includes(s.state))
        .map((s) => `${s.id} (${s.state})`);
      const message = `${inFlight.action} deadline of ${deadlineMs / 1000} s passed with ${left.join(", ") || "pending work"} not stopped; powering off anyway`;
      this.options.console?.(`keelsond: ${message}`);
      this.record("node", inFlight.action, message);
    }
    if (inFlight.action === "reboot") this.power.reboot();
    else this.power.poweroff();
  }

  private async stopEverything(): Promise<void> {
    await this.options.quiesce?.().catch(() => {});
    await this.supervisor.stop(this.forced ? { graceMs: 0 } : {});
  }

  private record(kind: "action" | "node", subject: string, message: string, actor?: string): void {
    this.events.record({ kind, subject, message, ...(actor ? { actor } : {}) });
  }
}
