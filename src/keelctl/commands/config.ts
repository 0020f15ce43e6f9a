import type { Command } from "commander";
import pc from "picocolors";
import {
  defaultConfigPath,
  readClientConfig,
  selectContext,
  writeClientConfig,
} from "../../machinery/clientconfig";
import { KeelsonError } from "../../machinery/errors";
import { callNodes } from "../lib/call-nodes";
import type { GlobalOptions } from "../lib/global-options";
import { renderData, renderTable } from "../lib/output";
import { printNodeError } from "../lib/print-results";
import { openSession } from "../lib/session";

/** Client configuration: contexts, and new configs with certificates for given roles. */
export function addConfigCommands(program: Command): Command {
  const config = program
    .command("config")
    .description("client configuration (contexts, certificates) and the machine configuration");

  config
    .command("new <path>")
    .description(
      "write a client config with a fresh certificate carrying the given roles (asks a control plane)",
    )
    .requiredOption(
      "--roles <roles>",
      "comma-separated roles, e.g. os:reader or os:operator,os:etcd:backup",
    )
    .option(
      "--name <common-name>",
      "certificate common name, shown as the actor in node events",
      "keelctl",
    )
    .option(
      "--ttl-hours <hours>",
      "certificate lifetime in hours",
      (v) => Number.parseInt(v, 10),
      8760,
    )
    .action(
      async (
        path: string,
        opts: { roles: string; name: string; ttlHours: number },
        command: Command,
      ) => {
        const global = command.optsWithGlobals() as GlobalOptions;
        const session = await openSession(global);
        const target = session.targets.find(
          (t) =>
            !t.error && session.context.endpoints.find((e) => e.name === t.node)?.role !== "worker",
        );
        if (!target)
          throw new KeelsonError(
            "invalidArgument",
            "no control-plane node to ask",
            "name one with -n",
          );
        const [result] = await callNodes({ ...session, targets: [target] }, (client) =>
          client.generateClientConfiguration({
            roles: opts.roles
              .split(",")
              .map((r) => r.trim())
              .filter(Boolean),
            ttlHours: opts.ttlHours,
            commonName: opts.name,
          }),
        );
        if (!result || "error" in result) {
          if (result && "error" in result) printNodeError(result.node, result.error);
          process.exitCode = 1;
          return;
        }
        const source = await readClientConfig(global.config ?? defaultConfigPath());
        const contextName = global.context ?? source.context ?? "default";
        const current = selectContext(source, global.context, global.config ?? defaultConfigPath());
        await writeClientConfig(path, {
          context: contextName,
          contexts: {
            [contextName]: {
              ...current,
              ca: result.result.ca,
              crt: result.result.crt,
              key: result.result.key,
            },
          },
        });
        process.stderr.write(`${pc.green("✓")} wrote ${path} with roles ${opts.roles}\n`);
      },
    );

  config
    .command("contexts")
    .description("list the contexts of the client config")
    .action(async (_opts, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const file = await readClientConfig(global.config ?? defaultConfigPath());
      const items = Object.entries(file.contexts).map(([name, c]) => ({
        current: name === file.context,
        name,
        nodes: c.endpoints.map((e) => e.name),
      }));
      if (global.output !== "table")
        return void process.stdout.write(`${renderData(global.output, items)}\n`);
      const rows = items.map((i) => [i.current ? "*" : "", i.name, i.nodes.join(",")]);
      process.stdout.write(`${renderTable(["current", "name", "nodes"], rows)}\n`);
    });

  config
    .command("use-context <name>")
    .description("make a context the current one")
    .action(async (name: string, _opts, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const path = global.config ?? defaultConfigPath();
      const file = await readClientConfig(path);
      selectContext(file, name, path);
      await writeClientConfig(path, { ...file, context: name });
    });
  return config;
}
