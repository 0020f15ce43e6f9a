import { openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ProcessMachine } from "./process-machine";

/**
 * keelson-machine: the launcher of one process node. The agent's output goes
 * to console.log in the node's state directory, the node's serial console.
 */
function main(): void {
  const { values } = parseArgs({ options: { "state-dir": { type: "string" } } });
  const stateDir = values["state-dir"];
  if (!stateDir) {
    console.error("usage: keelson-machine --state-dir DIR");
    process.exit(2);
  }
  writeFileSync(join(stateDir, "machine.pid"), `${process.pid}\n`);
  const machine = new ProcessMachine(stateDir, openSync(join(stateDir, "console.log"), "a"));
  process.on("SIGTERM", () => machine.powerOff());
  machine.powerOn();
}

main();
