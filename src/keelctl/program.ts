import { Command, InvalidArgumentError, Option } from "commander";
import { keelsonVersion } from "../machinery/version";
import { addClusterCommands } from "./commands/cluster";
import { addCompletionCommand } from "./commands/completion";
import { addConfigCommands } from "./commands/config";
import { addConfigToolCommands } from "./commands/config-tools";
import { addContainerCommands } from "./commands/containers";
import { addEtcdCommands } from "./commands/etcd";
import { addFileCommands } from "./commands/files";
import { addHealthCommand } from "./commands/health";
import { addInspectCommands } from "./commands/inspect";
import { addMachineConfigCommands } from "./commands/machine-config";
import { addOsImageCommands } from "./commands/os-image";

import { addPowerCommands } from "./commands/power";
import { addStreamCommands } from "./commands/streams";
import { addUpgradeCommands } from "./commands/upgrade";
import type { GlobalOptions } from "./lib/global-options";
import { outputFormats, prepareOutput } from "./lib/output";

/** The keelctl command tree; main.ts only runs it, so tests can build and drive it. */
export function buildProgram(): Command {
  const program = new Command("keelctl")
    .description(
      "Manage Keelson nodes through their API: one node, a class of nodes, or all of them.",
    )
    .version(keelsonVersion, "--client-version", "print the keelctl version")
    .option("-n, --nodes <nodes>", "target nodes: names or addresses, comma-separated", splitList)
    .option("--selector <selector>", "target nodes by role, e.g. role=worker")
    .option("--config <path>", "client config file (default $KEELCONFIG or ~/.keelson/config)")
    .option("--context <name>", "context of the client config to use")
    .addOption(
      new Option("-o, --output <format>", "output format").choices(outputFormats).default("table"),
    )
    .option("--call-timeout <seconds>", "per-node call timeout", positiveSeconds, 10)
    .showHelpAfterError()
    .showSuggestionAfterError()
    .hook("preAction", (_program, action) =>
      prepareOutput((action.optsWithGlobals() as GlobalOptions).output),
    );
  addInspectCommands(program);
  addHealthCommand(program);
  addStreamCommands(program);
  addContainerCommands(program);
  addEtcdCommands(program);

  addFileCommands(program);
  addPowerCommands(program);
  addMachineConfigCommands(program, addConfigCommands(program));
  addConfigToolCommands(program);
  addOsImageCommands(program);
  addUpgradeCommands(program);

  addClusterCommands(program);
  addCompletionCommand(program);
  return program;
}

function splitList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [...(previous ?? []), ...items];
}

function positiveSeconds(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError(`expected seconds > 0, got "${value}"`);
  return n;
}
