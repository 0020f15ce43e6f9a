import pc from "picocolors";
import { ChangeSignal, watchChanges } from "../../controller/kube/changes";
import { kubeApis } from "../../controller/kube/kube-apis";
import { readRecord } from "../../controller/kube/node-annotations";
import { planGroup, planVersion } from "../../controller/plan";
import { isFailure, isNodePhase } from "../../controller/schedule";
import { etaText } from "../lib/format-values";
import type { GlobalOptions } from "../lib/global-options";
import { nodeBars } from "../lib/node-bars";
import { renderData, renderTable } from "../lib/output";
import { phaseBar } from "../lib/phase-bar";
import { openContext } from "../lib/session";
import { defaultKubeconfig } from "./upgrade-cluster-run";

interface PlanView {
  name: string;
  summary: string;
  target: string;
  done: number;
  total: number;
  budget: string;
  /** When the controller expects the plan to finish, and whether that is only assumed yet. */
  eta?: string;
  etaEstimated?: boolean;
  /** Why the plan's deadline will be missed. */
  deadline?: string;
  nodes: { name: string; phase: string; message: string }[];
}

const ref = { group: planGroup, version: planVersion, plural: "upgradeplans" };

/** Where each plan stands: its nodes' phases and why each waits, from the plans' status or the Nodes' records. */
export async function runUpgradeStatus(
  plan: string | undefined,
  opts: { watch: boolean; kubeconfig?: string },
  global: GlobalOptions,
): Promise<void> {
  const apis = kubeApis(
    opts.kubeconfig ??
      defaultKubeconfig((await openContext(global).catch(() => undefined))?.name ?? ""),
  );
  const read = async (): Promise<PlanView[]> => {
    // Plans the controller runs have objects; those keelctl ran live only in the Nodes' records.
    const [objects, records] = await Promise.all([
      fromPlans(apis).catch(() => []),
      fromNodes(apis),
    ]);
    const named = new Set(objects.map((v) => v.name));
    const views = [...objects, ...records.filter((v) => !named.has(v.name))];
    return plan ? views.filter((v) => v.name === plan) : views;
  };
  if (!opts.watch) return print(await read(), global);
  const changes = new ChangeSignal();
  const stops = [
    watchChanges(apis, "/api/v1/nodes", {}, () => changes.notify()),
    watchChanges(apis, `/apis/${planGroup}/${planVersion}/upgradeplans`, {}, () =>
      changes.notify(),
    ),
  ];
  try {
    let bars: ReturnType<typeof nodeBars> | undefined;
    for (;;) {
      const views = await read();
      for (const v of views) {
        bars ??= nodeBars(v.nodes.map((n) => n.name));
        for (const n of v.nodes) bars.update(n.name, phaseBar(n.phase, n.message));
      }
      if (views.every((v) => v.summary !== "Progressing")) {
        bars?.stop();
        return print(views, global);
      }
      await changes.next(5000);
    }
  } finally {
    for (const stop of stops) stop();
  }
}

async function fromPlans(apis: ReturnType<typeof kubeApis>): Promise<PlanView[]> {
  const list = (await apis.custom.listClusterCustomObject(ref)) as {
    items: { metadata: { name: string }; status?: Record<string, unknown> }[];
  };
  return list.items.map((p) => {
    const s = (p.status ?? {}) as {
      summary?: string;
      target?: string;
      done?: number;
      total?: number;
      budget?: number;
      unavailable?: number;
      eta?: string;
      etaEstimated?: boolean;
      nodes?: PlanView["nodes"];
      conditions?: { type: string; status: string; message: string }[];
    };
    const late = s.conditions?.find((c) => c.type === "DeadlineAtRisk" && c.status === "True");
    return {
      name: p.metadata.name,
      summary: s.summary ?? "Pending",
      target: s.target ?? "",
      done: s.done ?? 0,
      total: s.total ?? 0,
      budget: `${s.unavailable ?? 0}/${s.budget ?? 0}`,
      ...(s.eta ? { eta: s.eta, etaEstimated: s.etaEstimated ?? false } : {}),
      ...(late ? { deadline: late.message } : {}),
      nodes: s.nodes ?? [],
    };
  });
}

/** Without the controller (keelctl upgrade cluster), the Nodes' records say it all. */
async function fromNodes(apis: ReturnType<typeof kubeApis>): Promise<PlanView[]> {
  const byPlan = new Map<string, PlanView>();
  for (const node of (await apis.core.listNode()).items) {
    const r = readRecord(node.metadata?.annotations);
    if (!r.plan) continue;
    const view = byPlan.get(r.plan) ?? {
      name: r.plan,
      summary: "",
      target: r.target ?? "",
      done: 0,
      total: 0,
      budget: "-",
      nodes: [],
    };
    view.total++;
    if (r.phase === "Done") view.done++;
    view.nodes.push({
      name: node.metadata?.name ?? "",
      phase: r.phase ?? "",
      message: r.reason ?? "",
    });
    byPlan.set(r.plan, view);
  }
  return [...byPlan.values()].map((v) => ({
    ...v,
    summary: v.nodes.some((n) => isNodePhase(n.phase) && isFailure(n.phase))
      ? "Halted"
      : v.done === v.total
        ? "Succeeded"
        : "Progressing",
  }));
}

function print(views: PlanView[], global: GlobalOptions): void {
  if (global.output !== "table") {
    process.stdout.write(`${renderData(global.output, views)}\n`);
    return;
  }
  if (views.length === 0) process.stderr.write("no upgrade plans\n");
  for (const v of views) {
    const mark =
      v.summary === "Succeeded"
        ? pc.green("✓")
        : v.summary === "Halted"
          ? pc.red("✗")
          : pc.cyan("•");
    const eta = v.eta ? `, ${etaText(Date.parse(v.eta), v.etaEstimated ?? false)}` : "";
    process.stdout.write(
      `${mark} ${pc.bold(v.name)}: ${v.summary}, ${v.target || "target not known yet"}, ${v.done}/${v.total} done, unavailable ${v.budget}${eta}\n`,
    );
    if (v.deadline) process.stdout.write(`${pc.yellow("!")} ${v.deadline}\n`);
    process.stdout.write(
      `${renderTable(
        ["node", "phase", "detail"],
        v.nodes.map((n) => [n.name, n.phase, n.message]),
      )}\n`,
    );
  }
}
