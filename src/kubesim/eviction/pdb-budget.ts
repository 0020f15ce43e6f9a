import { field, forbidden, type KubeObject, StatusError } from "../api";
import type { Registry } from "../registry";
import { podDisruptionBudgets } from "../resources/other/pdb";

/** eviction.go MaxDisruptedPodSize. */
export const maxDisruptedPods = 2000;

export interface PdbStatus {
  observedGeneration?: number;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  disruptedPods?: Record<string, string>;
  conditions?: {
    type: string;
    status: string;
    reason: string;
    message: string;
    lastTransitionTime?: string;
    observedGeneration?: number;
  }[];
}

export function statusOf(pdb: KubeObject): PdbStatus {
  return (field(pdb, "status") ?? {}) as PdbStatus;
}

export function tooManyRequests(
  message: string,
  cause: string,
  retryAfterSeconds: number,
): StatusError {
  return new StatusError(429, "TooManyRequests", message, {
    causes: [{ reason: "DisruptionBudget", message: cause }],
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  });
}

const violation = "Cannot evict pod as it would violate the pod's disruption budget.";

/** pdbhelper.UpdateDisruptionAllowedCondition. */
export function setDisruptionAllowedCondition(status: PdbStatus, generation: number): void {
  const allowed = (status.disruptionsAllowed ?? 0) > 0;
  const condition = {
    type: "DisruptionAllowed",
    status: allowed ? "True" : "False",
    reason: allowed ? "SufficientPods" : "InsufficientPods",
    message: "",
    observedGeneration: generation,
    lastTransitionTime: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  const existing = (status.conditions ?? []).find((c) => c.type === "DisruptionAllowed");
  if (existing?.status === condition.status) return;
  status.conditions = [
    ...(status.conditions ?? []).filter((c) => c.type !== "DisruptionAllowed"),
    condition,
  ];
}

/**
 * eviction.go checkAndDecrement: refuse when the PDB controller has not
 * caught up or no disruption is left; otherwise take one disruption and
 * record the pod in disruptedPods so the controller does not count it healthy.
 */
export function checkAndDecrement(
  registry: Registry,
  pdb: KubeObject,
  podName: string,
  dryRun: boolean,
): void {
  const status = statusOf(pdb);
  const name = pdb.metadata.name ?? "";
  const generation = pdb.metadata.generation ?? 1;
  if ((status.observedGeneration ?? 0) < generation) {
    throw tooManyRequests(
      violation,
      `The disruption budget ${name} is still being processed by the server.`,
      10,
    );
  }
  const allowed = status.disruptionsAllowed ?? 0;
  if (allowed < 0)
    throw forbidden("poddisruptionbudget", "policy", name, "pdb disruptions allowed is negative");
  if (Object.keys(status.disruptedPods ?? {}).length > maxDisruptedPods) {
    throw forbidden(
      "poddisruptionbudget",
      "policy",
      name,
      "DisruptedPods map too big - too many evictions not confirmed by PDB controller",
    );
  }
  if (allowed === 0) {
    const cause = `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`;
    throw tooManyRequests(violation, cause, 0);
  }
  if (dryRun) return;
  registry.mutate(
    podDisruptionBudgets,
    pdb.metadata.namespace ?? "",
    name,
    (next) => {
      const s = statusOf(next);
      s.disruptionsAllowed = allowed - 1;
      if (s.disruptionsAllowed === 0) setDisruptionAllowedCondition(s, generation);
      s.disruptedPods = {
        ...(s.disruptedPods ?? {}),
        [podName]: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      };
      next.status = s;
    },
    { subresource: "status" },
  );
}
