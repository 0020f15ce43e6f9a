import "../machinery/web-headers/installed";
import { parseArgs } from "node:util";
import { KeelsonError } from "../machinery/errors";
import { bootAgent } from "./agent";
import { processPower } from "./lifecycle";
import { petWatchdog } from "./lifecycle/watchdog";

const usage = "usage: keelsond run --state-dir DIR";

/** The node agent's entry point: on the image it is init; in a process node, the machine launcher starts it. */
async function main(argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { "state-dir": { type: "string" } },
  });
  if (positionals[0] !== "run" || !values["state-dir"]) {
    console.error(usage);
    process.exit(2);
  }
  petWatchdog();
  const agent = await bootAgent(values["state-dir"], processPower);
  const stop = () => agent.shutdown("termination signal from the machine");
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const e = KeelsonError.from(error);
  console.error(`keelsond: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ""}`);
  process.exit(1);
});
