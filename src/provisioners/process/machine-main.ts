import { type ChildProcess, spawn } from "node:child_process";
import { openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { exitCodes } from "../../machinery/platform/exit-codes";
import { agentEnv, agentNodeFlags } from "../../machinery/platform/runtime-flags";
import { distPath } from "../dist-path";

/**
 * The "hardware" of a process node: it powers the agent on, restarts it when
 * it reboots or crashes (as a machine with panic=1 would), and powers off when
 * the agent shuts down or the provisioner sends SIGTERM. The agent's output
 * goes to console.log, the node's serial console.
 */
function main(): void {
  const { values } = parseArgs({ options: { "state-dir": { type: "string" } } });
  const stateDir = values["state-dir"];
  if (!stateDir) {
    console.error("usage: keelson-machine --state-dir DIR");
    process.exit(2);
  }
  writeFileSync(join(stateDir, "machine.pid"), `${process.pid}\n`);
  const serial = openSync(join(stateDir, "console.log"), "a");
  let agent: ChildProcess | undefined;
  let poweringOff = false;

  const boot = () => {
    agent = spawn(
      process.execPath,
      [...agentNodeFlags, distPath("keelsond.mjs"), "run", "--state-dir", stateDir],
      {
        stdio: ["ignore", serial, serial],
        env: { ...process.env, ...agentEnv },
      },
    );
    agent.once("exit", (code) => {
      if (poweringOff || code === exitCodes.poweroff) process.exit(0);
      // A reboot comes back at once; a crash after a pause, so a crash loop cannot spin.
      setTimeout(boot, code === exitCodes.reboot ? 0 : 1000);
    });
  };
  process.on("SIGTERM", () => {
    poweringOff = true;
    agent?.kill("SIGTERM");
  });
  boot();
}

main();
