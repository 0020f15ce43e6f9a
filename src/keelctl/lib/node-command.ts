import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { toJson } from "@bufbuild/protobuf";
import type { Client } from "@connectrpc/connect";
import type { Command } from "commander";
import type { MachineService } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { callNodes } from "./call-nodes";
import type { GlobalOptions } from "./global-options";
import type { Cell } from "./output";
import { printResults } from "./print-results";
import { openSession } from "./session";

export interface UnarySpec<S extends DescMessage> {
  name: string;
  aliases?: string[];
  description: string;
  schema: S;
  /** Extra flags of this command: [flags, description]. */
  options?: readonly (readonly [string, string])[];
  call: (client: Client<typeof MachineService>, command: Command) => Promise<MessageShape<S>>;
  columns: readonly string[];
  rows: (result: MessageShape<S>) => Cell[][];
  /** Anything a node's answer asks the user to notice, said on stderr after the results. */
  notice?: (node: string, result: MessageShape<S>) => void;
}

/**
 * Adds a command that makes one unary call on every target node and prints
 * the results; most read-only commands are just a spec of this.
 */
export function addUnaryCommand<S extends DescMessage>(program: Command, spec: UnarySpec<S>): void {
  const command = program
    .command(spec.name)
    .aliases(spec.aliases ?? [])
    .description(spec.description);
  for (const [flags, description] of spec.options ?? []) command.option(flags, description);
  command.action(async (_opts, self: Command) => {
    const global = self.optsWithGlobals() as GlobalOptions;
    const session = await openSession(global);
    const results = await callNodes(session, (client) => spec.call(client, self));

    const ok = printResults(
      results,
      {
        columns: spec.columns,
        rows: spec.rows,
        data: (r) => toJson(spec.schema, r, { alwaysEmitImplicit: true }),
      },
      global.output,
    );
    for (const r of results) if ("result" in r) spec.notice?.(r.node, r.result);
    if (!ok) process.exitCode = 1;
  });
}
