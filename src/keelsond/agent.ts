import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { ConfigManager, type InForce } from "./config/config-manager";
import { applyLiveConfig } from "./config/live-config";
import { RevisionStore } from "./config/revision-store";
import { bootConfigured } from "./configured-node";
import type { AgentContext } from "./context";
import { EventLog } from "./events";
import type { Power } from "./lifecycle";
import { watchMachine } from "./lifecycle/machine-watch";
import { startMaintenance } from "./maintenance";
import { platformSchema, readJsonFile, type StatePaths, statePaths } from "./state";
import { runHealthGate } from "./upgrade/health-gate";
import { nodeBoot, repairBootEntry } from "./upgrade/node-boot";

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
  const config = new ConfigManager(new RevisionStore(paths.config), events, (documents) => {
    if (ctx) applyLiveConfig(ctx, documents);
  });
  const inForce = config.boot(image) ?? (await firstBoot(config, paths));
  if (!inForce) {
    const running = await startMaintenance({ platform, image, config, events, power });
    // An unconfigured node is healthy once its maintenance API serves.
    await runHealthGate(
      { ...boot, events, timeoutMs: 0, problems: async () => [], reboot: () => {} },
      new AbortController().signal,
    );
    return running;
  }
  ctx = await bootConfigured({ paths, platform, boot, events, config, power, inForce });
  const running = ctx;
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
