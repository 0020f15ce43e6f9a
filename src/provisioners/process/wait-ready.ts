import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { MachineConnection } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";

interface NodeRef {
  name: string;
  address: string;
  stateDir: string;
}

/** Opens a connection to a node, or undefined while it cannot be reached yet. */
export type Connector = (node: NodeRef) => Promise<MachineConnection | undefined>;

/** Waits until every node's API answers Version, reporting each node's progress. */
export async function waitReady(
  nodes: readonly NodeRef[],
  connect: Connector,
  timeoutMs: number,
  onProgress?: (node: string, state: "starting" | "ready") => void,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await Promise.all(
    nodes.map(async (node) => {
      onProgress?.(node.name, "starting");
      while (Date.now() < deadline) {
        const connection = await connect(node);
        try {
          await connection?.client.version({});
          if (connection) {
            onProgress?.(node.name, "ready");
            return;
          }
        } catch {
          // Not up yet.
        } finally {
          connection?.close();
        }
        await sleep(100);
      }
      throw new KeelsonError(
        "deadlineExceeded",
        `node ${node.name} did not answer within the timeout`,
        `see its console: ${join(node.stateDir, "console.log")}`,
      );
    }),
  );
}

/** The bootstrap token a maintenance-mode node printed last on its console, if any. */
export async function bootstrapTokenFromConsole(stateDir: string): Promise<string | undefined> {
  const console = await readFile(join(stateDir, "console.log"), "utf8").catch(() => "");
  const tokens = [...console.matchAll(/bootstrap token: (\S+)/g)];
  return tokens.at(-1)?.[1];
}
