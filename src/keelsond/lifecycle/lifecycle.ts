import { KeelsonError } from "../../machinery/errors";
import type { EventLog } from "../events";
import type { Supervisor } from "../supervisor";
import type { Power } from "./power";

export type PowerAction = "reboot" | "shutdown";

/**
 * Reboot and shutdown, done gracefully: services stop in reverse dependency
 * order before the power action. One action at a time; a second is refused.
 */
export class Lifecycle {
  private pending: PowerAction | undefined;

  constructor(
    private readonly supervisor: Supervisor,
    private readonly events: EventLog,
    private readonly power: Power,
  ) {}

  /** Schedules the action and returns at once, so the caller gets its answer before the API stops. */
  request(action: PowerAction, actor: string, reason: string): void {
    if (this.pending) {
      throw new KeelsonError("failedPrecondition", `a ${this.pending} is already in progress`);
    }
    this.pending = action;
    this.events.record({ kind: "action", subject: action, message: reason, actor });
    setTimeout(() => void this.perform(action), 50);
  }

  inProgress(): PowerAction | undefined {
    return this.pending;
  }

  private async perform(action: PowerAction): Promise<void> {
    await this.supervisor.stop();
    this.events.record({ kind: "node", subject: action, message: "all services stopped" });
    if (action === "reboot") this.power.reboot();
    else this.power.poweroff();
  }
}
