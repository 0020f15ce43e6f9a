import { join } from "node:path";
import { hostArchitecture } from "../../machinery/platform/host-architecture";
import type { ConfigManager } from "../config/config-manager";
import type { EventLog } from "../events";
import type { Lifecycle } from "../lifecycle";
import type { Platform, StatePaths } from "../state";
import { chunkedUploads } from "../uploads/chunked-uploads";
import { Fallbacks } from "./fallback";
import { kubeletChange } from "./kubelet-change";
import type { NodeBoot } from "./node-boot";
import { Upgrades } from "./upgrade-runner";

/** A node's upgrade capability: its boot, the one upgrade at a time, fallbacks, and uploaded bundles. */
export interface NodeUpgrades {
  boot: NodeBoot;
  upgrades: Upgrades;
  fallbacks: Fallbacks;
  uploads: ReturnType<typeof chunkedUploads>;
}

export interface UpgradeWiring {
  boot: NodeBoot;
  paths: StatePaths;
  platform: Platform;
  events: EventLog;
  lifecycle: Lifecycle;
  config: ConfigManager;
  configuredKeys: () => readonly string[];
}

export function nodeUpgrades(wiring: UpgradeWiring): NodeUpgrades {
  const { boot, paths, events } = wiring;
  return {
    boot,
    upgrades: new Upgrades({
      boot: boot.control,
      slots: boot.slots,
      journal: boot.journal,
      events,
      lifecycle: wiring.lifecycle,
      configuredKeys: wiring.configuredKeys,
      kubelet: kubeletChange(wiring.config),
      runningVersion: boot.image.version,
      arch: hostArchitecture(),
      target: wiring.platform.platform === "process" ? "process" : "metal",
      spoolDir: join(paths.run, "upgrade"),
    }),
    fallbacks: new Fallbacks(paths.fallback, boot.control, boot.journal, events),
    uploads: chunkedUploads(join(paths.run, "uploads")),
  };
}
