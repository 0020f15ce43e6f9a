import { writeSync } from "node:fs";

/**
 * Pets the machine's watchdog while the agent's event loop turns: a hung
 * agent stops petting, and the machine resets it. On a process node the
 * launcher hands a pipe as KEELSON_WATCHDOG_FD and resets after
 * KEELSON_WATCHDOG_SECONDS of silence; the pet comes four times as often.
 */
export function petWatchdog(env: NodeJS.ProcessEnv = process.env): void {
  const fd = Number(env.KEELSON_WATCHDOG_FD);
  const seconds = Number(env.KEELSON_WATCHDOG_SECONDS);
  if (!Number.isInteger(fd) || fd < 3 || !(seconds > 0)) return;
  const pet = () => {
    try {
      writeSync(fd, ".");
    } catch {
      // The machine is gone (its launcher exited): nothing left to pet.
      clearInterval(timer);
    }
  };
  const timer = setInterval(pet, Math.max(250, (seconds * 1000) / 4));
  timer.unref();
  pet();
}
