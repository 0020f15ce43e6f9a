import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type MachineConnection, waitUntilReady } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";

interface NodeRef {
  name: string;
  address: string;
  stateDir: string;
}

/** Opens a connection to a node, or undefined while it cannot be reached yet. */
export type Connector = (node: NodeRef) => Promise<MachineConnection | undefined>;

export type Progress = (node: string, state: string) => void;

/** Waits until every node's API answers (Version), reporting each node's progress. */
export async function waitApis(
  nodes: readonly NodeRef[],
  connect: Connector,
  timeoutMs: number,
  onProgress?: Progress,
): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      onProgress?.(node.name, "starting");
      await poll(node, timeoutMs, "did not answer", () =>
        call(connect, node, (c) => c.version({})),
      );
      onProgress?.(node.name, "answering");
    }),
  );
}

/**
 * Waits until every node is ready (every required service running and
 * healthy, etcd a member where it runs, the kubelet healthy where there is
 * one), reporting what each still waits for.
 */
export async function waitHealthy(
  nodes: readonly NodeRef[],
  connect: Connector,
  timeoutMs: number,
  onProgress?: Progress,
): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      await waitUntilReady(() => call(connect, node, (c) => c.health({})), {
        timeoutMs,
        onWaiting: (what) => onProgress?.(node.name, `waiting for ${what}`),
      }).catch((error: unknown) => {
        throw new KeelsonError(
          "deadlineExceeded",
          `node ${node.name}: ${KeelsonError.from(error).message}`,
          `see its console: ${join(node.stateDir, "console.log")}`,
        );
      });
      onProgress?.(node.name, "ready");
    }),
  );
}

/** One call on a connection of its own; unreachable nodes throw `unavailable`. */
async function call<T>(
  connect: Connector,
  node: NodeRef,
  use: (client: MachineConnection["client"]) => Promise<T>,
): Promise<T> {
  const connection = await connect(node);
  if (!connection) throw new KeelsonError("unavailable", "not reachable yet");
  try {
    return await use(connection.client);
  } finally {
    connection.close();
  }
}

async function poll(
  node: NodeRef,
  timeoutMs: number,
  failure: string,
  attempt: () => Promise<unknown>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await attempt();
      return;
    } catch {
      if (Date.now() > deadline)
        throw new KeelsonError(
          "deadlineExceeded",
          `node ${node.name} ${failure} within ${Math.round(timeoutMs / 1000)} s`,
          `see its console: ${join(node.stateDir, "console.log")}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The bootstrap token a maintenance-mode node printed last on its console, if any. */
export async function bootstrapTokenFromConsole(stateDir: string): Promise<string | undefined> {
  const console = await readFile(join(stateDir, "console.log"), "utf8").catch(() => "");
  const tokens = [...console.matchAll(/bootstrap token: (\S+)/g)];
  return tokens.at(-1)?.[1];
}
