import { setTimeout as sleep } from "node:timers/promises";
import type { Target } from "../../machinery/clientconfig";
import { KeelsonError } from "../../machinery/errors";
import type { Session } from "./session";

/** Waits until the node answers as a new boot (another boot id) and reports ready. */
export async function waitForReboot(
  session: Session,
  target: Target,
  bootId: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const connection = session.connect(target);
    try {
      const health = await connection.client.health({}, { timeoutMs: 2000 });
      if (health.bootId !== bootId && health.ready) return;
    } catch {
      // Down while it reboots: keep asking.
    } finally {
      connection.close();
    }
    await sleep(200);
  }
  throw new KeelsonError(
    "deadlineExceeded",
    `${target.node} did not come back ready within ${Math.round(timeoutMs / 1000)} s`,
    "see why with keelctl events and keelctl health",
  );
}
