import type { ConfigDocument } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import { type MetalNetwork, networkPlan } from "../network";
import type { Platform } from "../state";
import { wholeDisks } from "../upgrade/metal/block-partitions";
import { nodeSettings } from "./node-settings";

/**
 * Refuses, before it is stored, a configuration that names what this
 * machine does not have: a network link, an install disk. A process node's
 * links and disks are its host's, so nothing is checked there.
 */
export function checkFitsMachine(
  documents: readonly ConfigDocument[],
  platform: Platform,
  network: MetalNetwork | undefined,
  disks: () => string[] = wholeDisks,
): void {
  if (platform.platform === "process" || !network) return;
  networkPlan(nodeSettings(platform, documents).network, network.links());
  const machine = documents.find((d) => d.kind === "MachineConfig");
  const disk = machine?.kind === "MachineConfig" ? machine.machine.install?.disk : undefined;
  if (!disk) return;
  const present = disks();
  if (!present.includes(disk))
    throw new KeelsonError(
      "invalidArgument",
      `machine.install.disk: this machine has no disk ${disk} (it has ${present.join(", ") || "none"})`,
      "name one of its whole disks (keelctl list /sys/block)",
    );
}
