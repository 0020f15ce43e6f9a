import type { Client } from "@connectrpc/connect";
import type { MachineService } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { fanOut, type NodeResult } from "../../machinery/client";
import type { Target } from "../../machinery/clientconfig";
import type { Session } from "./session";

/**
 * Calls every target of the session concurrently (bounded) with a client of
 * its own; an unresolved target yields its error row without a call.
 */
export function callNodes<R>(
  session: Session,
  call: (client: Client<typeof MachineService>, target: Target) => Promise<R>,
  follow = false,
): Promise<NodeResult<R>[]> {
  return fanOut(session.targets, async (target) => {
    if (target.error) throw target.error;
    const connection = session.connect(target, follow);
    try {
      return await call(connection.client, target);
    } finally {
      connection.close();
    }
  });
}
