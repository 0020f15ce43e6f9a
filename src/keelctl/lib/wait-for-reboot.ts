import { waitUntilReady } from "../../machinery/client";
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
  const probe = async () => {
    const connection = session.connect(target);
    try {
      return await connection.client.health({}, { timeoutMs: 2000 });
    } finally {
      connection.close();
    }
  };
  await waitUntilReady(probe, { timeoutMs, accept: (h) => h.bootId !== bootId }).catch(
    (error: unknown) => {
      const e = KeelsonError.from(error);
      throw new KeelsonError(
        e.code,
        `${target.node} did not come back ready: ${e.message}`,
        e.hint,
      );
    },
  );
}
