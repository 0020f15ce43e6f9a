import {
  type ConfigDocument,
  classifyChange,
  diffConfigs,
  loadConfig,
} from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import type { ApplyRequest, Change } from "./apply-request";

export interface Plan {
  documents: ConfigDocument[];
  changes: Change[];
  diff: string;
}

/**
 * Validates a new configuration against the node (same role, same cluster),
 * diffs and classifies it, and checks the mode allows it. Pure: it changes
 * nothing, so a dry run is just this.
 */
export function planChange(current: ConfigDocument[] | undefined, request: ApplyRequest): Plan {
  const documents = loadConfig(request.yaml, expectationsOf(current));
  const changes: Change[] = classifyChange(current ?? [], documents).map(
    ({ path, op, effect }) => ({ path, op, effect }),
  );
  const reboot = changes.filter((c) => c.effect === "reboot");
  if (reboot.length && (request.mode === "no-reboot" || request.mode === "try") && current) {
    throw new KeelsonError(
      "failedPrecondition",
      `mode ${request.mode} cannot apply changes that need a reboot: ${reboot.map((c) => c.path).join(", ")}`,
      "use --mode auto or --mode staged",
    );
  }
  return { documents, changes, diff: diffConfigs(current ?? [], documents, { redact: true }) };
}

/** A node keeps its role and cluster: configs for another are refused. */
function expectationsOf(current: ConfigDocument[] | undefined) {
  if (!current) return {};
  const machine = current.find((d) => d.kind === "MachineConfig");
  const cluster = current.find((d) => d.kind === "ClusterConfig");
  return {
    expectRole: machine?.kind === "MachineConfig" ? machine.machine.type : undefined,
    expectCluster: cluster?.kind === "ClusterConfig" ? cluster.cluster.name : undefined,
  };
}
