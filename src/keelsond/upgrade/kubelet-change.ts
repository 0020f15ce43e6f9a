import {
  type ConfigPatch,
  kubeletImage,
  kubernetesVersion,
  patchConfigText,
} from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import type { ConfigManager } from "../config/config-manager";

/** The configuration change an upgrade carries: the kubelet's version, landing with the same boot. */
export interface KubeletChange {
  /** Refuses (before anything is written) a version or a configuration that cannot take it. */
  check(version: string): Promise<void>;
  /** Stages the new kubelet image for the boot of `slot`. */
  stage(version: string, slot: string, actor: string): Promise<void>;
  /** The upgrade in `slot` will not boot: its kubelet change goes too. */
  drop(slot: string, why: string): void;
}

export function kubeletChange(config: ConfigManager): KubeletChange {
  const request = (version: string, slot: string, actor: string, dryRun: boolean) => {
    const current = config.get();
    const machine = current.documents.find(
      (d): d is { kind: "MachineConfig"; machine: { kubelet?: { image: string } } } =>
        (d as { kind?: string }).kind === "MachineConfig",
    );
    const image = kubeletImage(kubernetesVersion(version), machine?.machine.kubelet?.image);
    const patch: ConfigPatch = {
      type: "strategic",
      documents: [{ machine: { kubelet: { image } } }],
    };
    return config.apply({
      yaml: patchConfigText(current.yaml, [patch]),
      mode: "staged",
      dryRun,
      tryTimeoutMs: 0,
      author: actor,
      forSlot: slot,
    });
  };
  return {
    async check(version) {
      await request(version, "", "", true).catch((error: unknown) => {
        // Said for the version the upgrade asked for, not only for the configuration field.
        const e = KeelsonError.from(error);
        throw new KeelsonError(e.code, `Kubernetes ${version}: ${e.message}`, e.hint);
      });
    },
    async stage(version, slot, actor) {
      await request(version, slot, actor, false);
    },
    drop: (slot, why) => config.dropStaged(slot, why),
  };
}
