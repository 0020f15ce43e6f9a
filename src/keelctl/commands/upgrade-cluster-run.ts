import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import pc from "picocolors";
import { type PlanStatus, runPlan } from "../../controller/engine/plan-engine";
import { kubeApis } from "../../controller/kube/kube-apis";
import { keelsonNodeApi } from "../../controller/nodes/node-api";
import { parsePlanText } from "../../controller/plan";
import { isFailure } from "../../controller/schedule";
import { isBundleUrl } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import { clusterDir } from "../../machinery/platform/keelson-home";
import { etaText } from "../lib/format-values";
import type { GlobalOptions } from "../lib/global-options";
import { nodeBars } from "../lib/node-bars";
import { phaseBar } from "../lib/phase-bar";
import { printResults } from "../lib/print-results";
import { openContext } from "../lib/session";

/** Runs the plan in `opts.file` to its end, showing each node's progress; exit code 1 if it did not succeed. */
export async function runUpgradeCluster(
  opts: { file: string; kubeconfig?: string },
  global: GlobalOptions,
): Promise<void> {
  const text = await readFile(opts.file, "utf8").catch((error: Error) => {
    throw new KeelsonError("notFound", `cannot read ${opts.file}: ${error.message}`);
  });
  const { plan, resolved } = parsePlanText(text, opts.file);
  // A bundle path in the plan is relative to the plan file.
  if (!isBundleUrl(resolved.image)) resolved.image = resolve(dirname(opts.file), resolved.image);
  const context = await openContext(global);
  const apis = kubeApis(opts.kubeconfig ?? defaultKubeconfig(context.name));
  let bars: ReturnType<typeof nodeBars> | undefined;
  let headline = "";
  let warned = false;
  const status = await runPlan({
    apis,
    nodes: keelsonNodeApi(context.credentials),
    planName: plan.metadata.name,
    plan: resolved,
    onUpdate(s) {
      bars ??= nodeBars(s.nodes.map((n) => n.name));
      const eta = s.finished ? "" : `, ${etaText(s.forecast.eta, s.forecast.estimated)}`;
      const line = `${plan.metadata.name}: ${s.target || "(version learnt at staging)"}, budget ${s.unavailable.length}/${s.budget} unavailable${eta}${s.halted ? `, ${s.halted}` : ""}`;
      if (s.forecast.deadlineMissed && !warned)
        process.stderr.write(`${pc.yellow("!")} ${s.forecast.deadlineMissed}\n`);
      warned ||= s.forecast.deadlineMissed !== undefined;
      if (line !== headline) process.stderr.write(`${pc.bold(line)}\n`);
      headline = line;
      for (const n of s.nodes) bars.update(n.name, phaseBar(n.phase, n.message));
    },
  });
  bars?.stop();
  printOutcome(status, global);
}

function printOutcome(status: PlanStatus, global: GlobalOptions): void {
  printResults(
    status.nodes.map((n) => ({ node: n.name, result: n })),
    { columns: ["phase", "detail"], rows: (n) => [[n.phase, n.message]], data: (n) => n },
    global.output,
  );
  const bad = status.nodes.filter((n) => isFailure(n.phase));
  if (status.halted) process.stderr.write(`${pc.red("✗")} ${status.halted}\n`);
  if (bad.length > 0 || status.halted) {
    process.exitCode = 1;
    return;
  }
  const skipped = status.nodes.filter((n) => n.phase === "Skipped").map((n) => n.name);
  if (skipped.length === 0)
    process.stderr.write(`${pc.green("✓")} every node runs ${status.target}\n`);
  else
    process.stderr.write(
      `${pc.yellow("!")} ${status.target} on every node but ${skipped.join(", ")} (skipped: see the detail)\n`,
    );
}

/** $KUBECONFIG, else the local cluster's kubeconfig for the context, else ~/.kube/config. */
export function defaultKubeconfig(context: string): string {
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG;
  const local = context ? join(clusterDir(context), "kubernetes", "kubeconfig") : "";
  return local && existsSync(local) ? local : join(homedir(), ".kube", "config");
}
