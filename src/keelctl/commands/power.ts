import type { Command } from "commander";
import { callNodes } from "../lib/call-nodes";
import type { GlobalOptions } from "../lib/global-options";
import { printResults } from "../lib/print-results";
import { openSession } from "../lib/session";
import { waitForReboot } from "../lib/wait-for-reboot";

/** Reboot and shutdown: graceful, services stopped in reverse dependency order on the node. */
export function addPowerCommands(program: Command): void {
  program
    .command("reboot")
    .description("reboot the nodes gracefully")
    .option("--wait", "wait until every node is back and ready", false)
    .option("--force", "do not wait for slow services to stop", false)
    .action(async (opts: { wait: boolean; force: boolean }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const session = await openSession(global);
      const results = await callNodes(session, async (client, target) => {
        const before = await client.health({});
        const { message } = await client.reboot({ force: opts.force });
        if (opts.wait)
          await waitForReboot(session, target, before.bootId, global.callTimeout * 1000 * 12);
        return message;
      });
      const ok = printResults(
        results,
        {
          columns: ["status"],
          rows: (m) => [[opts.wait ? "rebooted, ready" : m]],
          data: (m) => ({ message: m }),
        },
        global.output,
      );
      if (!ok) process.exitCode = 1;
    });

  program
    .command("shutdown")
    .description("shut the nodes down gracefully")
    .option("--force", "do not wait for slow services to stop", false)
    .action(async (opts: { force: boolean }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const session = await openSession(global);
      const results = await callNodes(
        session,
        async (client) => (await client.shutdown({ force: opts.force })).message,
      );
      const ok = printResults(
        results,
        { columns: ["status"], rows: (m) => [[m]], data: (m) => ({ message: m }) },
        global.output,
      );
      if (!ok) process.exitCode = 1;
    });
}
