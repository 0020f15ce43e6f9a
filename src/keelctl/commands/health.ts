import { toJson } from "@bufbuild/protobuf";
import type { Command } from "commander";
import { HealthResponseSchema } from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { waitUntilReady } from "../../machinery/client";
import { callNodes } from "../lib/call-nodes";
import { parseDuration } from "../lib/duration";
import type { GlobalOptions } from "../lib/global-options";
import { printResults } from "../lib/print-results";
import { progressReporter } from "../lib/progress";
import { openSession } from "../lib/session";
import { warnFallback } from "../lib/warn-fallback";

/**
 * Health of one node, a class of nodes or all of them; with --wait, waits
 * (as talosctl health does) until every one is ready, showing per node what
 * it still waits for, and fails naming it when the timeout passes.
 */
export function addHealthCommand(program: Command): void {
  program
    .command("health")
    .description("show whether the nodes are ready and the health of each service")
    .option("--wait", "wait until every node is ready", false)
    .option("--timeout <duration>", "how long --wait waits (e.g. 90s, 5m)", parseDuration, 300)
    .action(async (opts: { wait: boolean; timeout: number }, command: Command) => {
      const global = command.optsWithGlobals() as GlobalOptions;
      const session = await openSession(global);
      const progress = opts.wait
        ? progressReporter("waiting for nodes", session.targets.length)
        : undefined;
      const results = await callNodes(session, async (client, target) => {
        if (!opts.wait) return client.health({});
        const health = await waitUntilReady(() => client.health({}), {
          timeoutMs: opts.timeout * 1000,
          onWaiting: (what) => progress?.update(target.node, `waiting for ${what}`),
        });
        progress?.update(target.node, "ready");
        return health;
      }).finally(() => progress?.done());
      const ok = printResults(
        results,
        {
          columns: ["ready", "service", "state", "healthy", "message"],
          rows: (r) => r.services.map((s) => [r.ready, s.id, s.state, s.healthy, s.message]),
          data: (r) => toJson(HealthResponseSchema, r, { alwaysEmitImplicit: true }),
        },
        global.output,
      );
      for (const r of results)
        if ("result" in r) warnFallback(r.node, r.result.unacknowledgedFallback);
      if (!ok) process.exitCode = 1;
    });
}
