// keelson-controller: the UpgradePlan controller, in cluster (a Deployment)
// or anywhere with a kubeconfig. Only the lease holder acts.
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { PlanStatus } from "./engine/plan-engine";
import { kubeApis } from "./kube/kube-apis";
import { keelsonNodeApi } from "./nodes/node-api";
import { acquireLease } from "./operator/lease-election";
import { serveMetrics } from "./operator/metrics";
import { runPlanController } from "./operator/plan-controller";

const { values } = parseArgs({
  options: {
    kubeconfig: { type: "string" },
    // A mounted kubernetes.io/tls Secret with the cluster CA: an os:upgrader client certificate.
    credentials: { type: "string", default: "/var/run/secrets/keelson" },
    "lease-namespace": { type: "string", default: "keelson-system" },
    "lease-name": { type: "string", default: "keelson-upgrade-controller" },
    "lease-seconds": { type: "string", default: "15" },
    identity: { type: "string", default: `${hostname()}-${process.pid}` },
    "metrics-address": { type: "string", default: "0.0.0.0:8080" },
  },
});

const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);
const stop = new AbortController();
for (const sig of ["SIGTERM", "SIGINT"] as const)
  process.on(sig, () => stop.abort(new Error(`${sig}: stopping`)));

const apis = kubeApis(values.kubeconfig);
const dir = values.credentials;
const nodes = keelsonNodeApi({
  ca: readFileSync(join(dir, "ca.crt"), "utf8"),
  cert: readFileSync(join(dir, "tls.crt"), "utf8"),
  key: readFileSync(join(dir, "tls.key"), "utf8"),
});

const statuses = new Map<string, PlanStatus>();
const metrics = await serveMetrics(values["metrics-address"], statuses);
const bound = metrics.address() as AddressInfo;
log(`metrics on http://${bound.address}:${bound.port}/metrics`);

try {
  log(
    `${values.identity}: waiting for the lease ${values["lease-namespace"]}/${values["lease-name"]}`,
  );
  const lost = await acquireLease(apis, {
    namespace: values["lease-namespace"],
    name: values["lease-name"],
    identity: values.identity,
    durationSeconds: Number(values["lease-seconds"]),
    signal: stop.signal,
    onStatus: log,
  });
  log(`${values.identity}: leading`);
  lost.addEventListener("abort", () => stop.abort(lost.reason), { once: true });
  await runPlanController(apis, nodes, stop.signal, log, statuses).catch((error: unknown) => {
    if (!stop.signal.aborted) throw error;
  });
  log(`${values.identity}: ${(stop.signal.reason as Error).message}`);
  // Losing the lease means another controller leads now: exit so the Deployment restarts us as a follower.
  process.exitCode = lost.aborted ? 1 : 0;
} catch (error) {
  if (!stop.signal.aborted) {
    log(`failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
metrics.close();
