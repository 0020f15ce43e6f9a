import type { Client } from "@connectrpc/connect";
import type { MachineService } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { callNodes } from "./call-nodes";
import type { GlobalOptions } from "./global-options";
import { renderData } from "./output";
import { printNodeError } from "./print-results";
import { openSession } from "./session";

export interface StreamSpec<M> {
  follow: boolean;
  open(client: Client<typeof MachineService>, signal: AbortSignal): AsyncIterable<M>;
  /** Human form of one message, without the node prefix. */
  text(message: M): string;
  data(message: M): unknown;
}

/**
 * Streams from every target at once and interleaves what arrives, each line
 * prefixed with its node (table) or as one JSON/YAML document per message.
 * Ctrl-C ends every stream cleanly.
 */
export async function streamNodes<M>(global: GlobalOptions, spec: StreamSpec<M>): Promise<void> {
  const session = await openSession(global);
  const control = new AbortController();
  process.once("SIGINT", () => control.abort());
  const prefix = session.targets.length > 1;
  const results = await callNodes(
    session,
    async (client, target) => {
      for await (const message of spec.open(client, control.signal)) {
        if (global.output === "json")
          process.stdout.write(
            `${JSON.stringify({ node: target.node, ...(spec.data(message) as object) })}\n`,
          );
        else if (global.output === "yaml")
          process.stdout.write(
            `---\n${renderData("yaml", { node: target.node, ...(spec.data(message) as object) })}\n`,
          );
        else
          for (const line of spec.text(message).split("\n"))
            process.stdout.write(prefix ? `${target.node}: ${line}\n` : `${line}\n`);
      }
    },
    spec.follow,
  );
  // After Ctrl-C every stream ends as cancelled; that is the user's wish, not a failure.
  if (control.signal.aborted) return;
  for (const r of results) if ("error" in r) printNodeError(r.node, r.error);
  if (results.some((r) => "error" in r)) process.exitCode = 1;
}
