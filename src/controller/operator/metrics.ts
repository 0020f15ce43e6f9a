import { createServer, type Server } from "node:http";
import type { PlanStatus } from "../engine/plan-engine";
import { isFailure, nodePhases } from "../schedule";

/**
 * Prometheus text exposition of every plan's last status: nodes per phase,
 * the budget and how much of it is in use, failures.
 */
export function renderMetrics(plans: ReadonlyMap<string, PlanStatus>): string {
  const lines = [
    "# HELP keelson_upgrade_nodes Nodes of a plan in each phase.",
    "# TYPE keelson_upgrade_nodes gauge",
  ];
  for (const [plan, status] of plans)
    for (const phase of nodePhases)
      lines.push(
        `keelson_upgrade_nodes{plan="${plan}",phase="${phase}"} ${status.nodes.filter((n) => n.phase === phase).length}`,
      );
  const gauge = (name: string, help: string, value: (s: PlanStatus) => number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [plan, status] of plans) lines.push(`${name}{plan="${plan}"} ${value(status)}`);
  };
  gauge("keelson_upgrade_budget", "Nodes a plan may have unavailable at once.", (s) => s.budget);
  gauge(
    "keelson_upgrade_unavailable",
    "Nodes unavailable now, counted against the budget.",
    (s) => s.unavailable.length,
  );
  gauge(
    "keelson_upgrade_failures",
    "Nodes that failed or fell back to their old image.",
    (s) => s.nodes.filter((n) => isFailure(n.phase)).length,
  );
  gauge("keelson_upgrade_halted", "1 when the plan halted.", (s) => (s.halted ? 1 : 0));
  lines.push(
    "# HELP keelson_upgrade_phase_seconds Time nodes spent in each phase, counted as they leave it.",
    "# TYPE keelson_upgrade_phase_seconds summary",
  );
  for (const [plan, status] of plans)
    for (const [phase, totals] of status.stats.phases)
      lines.push(
        `keelson_upgrade_phase_seconds_sum{plan="${plan}",phase="${phase}"} ${totals.seconds.toFixed(3)}`,
        `keelson_upgrade_phase_seconds_count{plan="${plan}",phase="${phase}"} ${totals.count}`,
      );
  lines.push(
    "# HELP keelson_upgrade_evictions_refused_total Evictions a PodDisruptionBudget refused (429), retried.",
    "# TYPE keelson_upgrade_evictions_refused_total counter",
  );
  for (const [plan, status] of plans)
    lines.push(
      `keelson_upgrade_evictions_refused_total{plan="${plan}"} ${status.stats.evictionsRefused}`,
    );
  gauge(
    "keelson_upgrade_eta_seconds",
    "When the plan should finish (Unix seconds); 0 when finished or no window opens.",
    (s) => (s.finished || s.forecast.eta === undefined ? 0 : Math.round(s.forecast.eta / 1000)),
  );
  return `${lines.join("\n")}\n`;
}

/** Serves /metrics on `address` ("host:port"); resolves with the server once it listens. */
export async function serveMetrics(
  address: string,
  plans: ReadonlyMap<string, PlanStatus>,
): Promise<Server> {
  const at = address.lastIndexOf(":");
  const server = createServer((req, res) => {
    if (req.url !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(renderMetrics(plans));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(Number(address.slice(at + 1)), address.slice(0, at), resolve);
  });
  return server;
}
