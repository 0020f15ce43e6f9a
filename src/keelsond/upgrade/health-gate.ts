import { setTimeout as delay } from "node:timers/promises";
import type { BootControl, BootJournal } from "../../machinery/boot";
import { KeelsonError } from "../../machinery/errors";
import type { EventLog } from "../events";
import type { BootedImage } from "../state";

export interface HealthGate {
  control: BootControl;
  journal: BootJournal;
  events: EventLog;
  /** Gives this boot up: a graceful reboot. */
  reboot: (reason: string) => void;
  image: BootedImage;
  timeoutMs: number;
  /** What stands between this node and healthy; empty when it is. */
  problems: (signal: AbortSignal) => Promise<string[]>;
  /** After the commit: what else this boot carried (a staged configuration) is kept too. */
  committed?: () => void;
  intervalMs?: number;
}

/**
 * Decides whether a boot on trial is good: it commits the boot (drops the
 * entry's counter) the first time the node has no problem left, and gives
 * the boot up (reboots, spending a try) if the deadline passes first. When
 * the tries are spent the boot loader itself falls back: nothing here has
 * to run for that.
 */
export async function runHealthGate(gate: HealthGate, signal: AbortSignal): Promise<void> {
  const { control, image } = gate;
  const state = control.state();
  const entry = state.slots.find((s) => s.slot.toUpperCase() === image.slot);
  if (!state.trialFile || !entry) return;
  const tries = (entry.triesLeft ?? 0) + (entry.triesDone ?? 0);
  record(
    gate,
    "boot",
    `booted ${image.version} from slot ${image.slot} on trial (try ${entry.triesDone ?? 0} of ${tries}); committing once healthy, within ${Math.round(gate.timeoutMs / 1000)} s`,
  );
  const started = Date.now();
  let problems: string[];
  for (;;) {
    problems = await gate
      .problems(signal)
      .catch((error: unknown) => [`checking health failed: ${KeelsonError.from(error).message}`]);
    if (signal.aborted) return;
    if (problems.length === 0) {
      control.commitRunning();
      gate.committed?.();
      const secs = ((Date.now() - started) / 1000).toFixed(1);
      gate.journal.append({
        event: "commit",
        entry: state.trialFile,
        slot: entry.slot,
        version: image.version,
      });
      record(
        gate,
        "commit",
        `${image.version} passed its health gate in ${secs} s: slot ${image.slot} committed`,
      );
      return;
    }
    if (Date.now() - started >= gate.timeoutMs) break;
    await delay(gate.intervalMs ?? 1000, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) return;
  }
  const why = `not healthy within ${Math.round(gate.timeoutMs / 1000)} s: ${problems.join("; ")}`;
  gate.journal.append({
    event: "unhealthy",
    entry: state.trialFile,
    slot: entry.slot,
    version: image.version,
    why,
  });
  record(
    gate,
    "unhealthy",
    `${image.version} ${why}; rebooting (${entry.triesLeft ?? 0} tries left)`,
  );
  gate.reboot(`upgrade health gate: ${image.version} ${why}`);
}

function record(gate: HealthGate, subject: string, message: string): void {
  gate.events.record({ kind: "upgrade", subject, message });
}
