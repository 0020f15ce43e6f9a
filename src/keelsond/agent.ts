import { existsSync, mkdirSync, readFileSync, renameSync } from "node:fs";
import { KeelsonError } from "../machinery/errors";
import { ConfigManager, type InForce } from "./config/config-manager";
import { checkFitsMachine } from "./config/fits-machine";
import { applyLiveConfig } from "./config/live-config";
import { nodeSettings } from "./config/node-settings";
import { RevisionStore } from "./config/revision-store";
import { bootConfigured } from "./configured-node";
import { type ConsoleStatus, interfaceAddresses, showStatus } from "./console";
import type { AgentContext } from "./context";
import { EventLog } from "./events";
import { checkKubeletChange } from "./kubelet/kubelet-image";
import type { Power } from "./lifecycle";
import { watchMachine } from "./lifecycle/machine-watch";
import { startMaintenance } from "./maintenance";
import { bringUpNetwork, MetalNetwork } from "./network";
import { type Platform, platformSchema, readJsonFile, type StatePaths, statePaths } from "./state";
import { runHealthGate } from "./upgrade/health-gate";
import { type NodeBoot, nodeBoot, repairBootEntry } from "./upgrade/node-boot";

/** A running agent, as main.ts sees it: something to stop on SIGTERM. */
export interface RunningAgent {
  shutdown(reason: string): void;
}

/**
 * Boots the agent: the configuration in force decides what runs. A node with
 * none takes its platform's user data on first boot, or else waits in
 * maintenance mode for one to be applied through the API.
 */
export async function bootAgent(stateDir: string, power: Power): Promise<RunningAgent> {
  const paths = statePaths(stateDir);
  const platform = readJsonFile(paths.platform, platformSchema, "platform record");
  const boot = nodeBoot(paths, platform);
  const { image } = boot;
  mkdirSync(paths.logs, { recursive: true });
  if (platform.platform === "process") watchMachine(platform.cgroup);
  const events = new EventLog(paths.events);
  repairBootEntry(boot, events);
  let ctx: AgentContext | undefined;
  // The metal image's links are the agent's to set; a process node's network is its host's.
  const network = platform.platform === "process" ? undefined : new MetalNetwork(events);
  const config = new ConfigManager(
    new RevisionStore(paths.config),
    events,
    (documents) => {
      if (ctx) applyLiveConfig(ctx, documents);
    },
    async (documents) => {
      checkFitsMachine(documents, platform, network);
      // Only on a running node: the first configuration's image is imported by the platform after it.
      if (ctx) await checkKubeletChange(ctx, documents);
    },
  );
  // Set by the image's init when STATE cannot be mounted: whatever is configured there is out of reach.
  const stateProblem = process.env.KEELSON_STATE_PROBLEM || undefined;
  let reason = stateProblem;
  const inForce = stateProblem
    ? undefined
    : (config.boot(image) ??
      (await firstBoot(config, paths).catch((error: unknown) => {
        // Never a reboot loop over a bad configuration: the node waits for a good one instead.
        reason = `the platform's user data was refused: ${KeelsonError.from(error).message}`;
        // Set aside, so user data the platform corrects is taken at the next boot.
        renameSync(paths.userData, `${paths.userData}.refused`);
        return undefined;
      })));
  if (network)
    await bringUpNetwork(
      network,
      inForce && nodeSettings(platform, inForce.documents).network,
      events,
    );
  if (!inForce) {
    const running = await startMaintenance({
      platform,
      image,
      config,
      events,
      power,
      certificate: { cert: paths.maintenanceCert, key: paths.maintenanceKey },
      ...(reason ? { reason } : {}),
      cannotKeep: stateProblem !== undefined,
    });
    onConsole(platform, boot, () => ({
      node: platform.hostname ?? "unnamed",
      state: `maintenance: ${reason ?? "no configuration yet (apply one with the bootstrap token above)"}`,
      lastFallback: undefined,
    }));
    // An unconfigured node is healthy once its maintenance API serves.
    await runHealthGate(
      { ...boot, events, timeoutMs: 0, problems: async () => [], reboot: () => {} },
      new AbortController().signal,
    );
    return running;
  }
  ctx = await bootConfigured({
    paths,
    platform,
    boot,
    events,
    config,
    power,
    inForce,
    ...(network ? { network } : {}),
  });
  const running = ctx;
  onConsole(platform, boot, () => ({
    node: running.identity.name,
    state: `running as ${running.identity.role} of cluster ${running.identity.cluster}`,
    lastFallback: running.upgrade.fallbacks.last(),
  }));
  return {
    shutdown: (reason) => {
      running.lifecycle.request({ action: "shutdown", actor: "", reason });
    },
  };
}

/** Platform user data becomes revision 1, exactly as if applied through the API. */
async function firstBoot(config: ConfigManager, paths: StatePaths): Promise<InForce | undefined> {
  if (!existsSync(paths.userData)) return undefined;
  await config.apply({
    yaml: readFileSync(paths.userData, "utf8"),
    mode: "auto",
    dryRun: false,
    tryTimeoutMs: 0,
    author: "platform user data",
  });
  return config.current();
}

/** A whole machine's console shows its status: a person there has no shell. A process node's output is its log. */
function onConsole(
  platform: Platform,
  boot: NodeBoot,
  sample: () => Pick<ConsoleStatus, "node" | "state" | "lastFallback">,
): void {
  if (platform.platform === "process") return;
  showStatus(
    () => ({
      ...sample(),
      version: boot.image.version,
      slot: boot.image.slot,
      committed: boot.control.state().trialFile === undefined,
      addresses: interfaceAddresses(),
      port: platform.port,
    }),
    (text) => process.stdout.write(text),
  );
}
