import { randomUUID } from "node:crypto";
import type { ConfigManager, InForce } from "./config/config-manager";
import { filesFor } from "./config/live-config";
import { nodeSettings } from "./config/node-settings";
import type { AgentContext } from "./context";
import { nodeEtcd } from "./etcd";
import type { EventLog } from "./events";
import { LinuxHost } from "./host";
import { Lifecycle, type Power } from "./lifecycle";
import type { MetalNetwork } from "./network";
import { servingCertificate } from "./pki/serving-certificate";
import type { Platform, StatePaths } from "./state";
import { Supervisor } from "./supervisor";
import { systemServices } from "./system-services";
import { runHealthGate } from "./upgrade/health-gate";
import { type NodeBoot, repairBootEntry } from "./upgrade/node-boot";
import { nodeProblems } from "./upgrade/node-problems";
import { nodeUpgrades } from "./upgrade/node-upgrades";

export interface ConfiguredBoot {
  paths: StatePaths;
  platform: Platform;
  boot: NodeBoot;
  events: EventLog;
  config: ConfigManager;
  power: Power;
  inForce: InForce;
  /** The metal image's links; a process node's network is its host's. */
  network?: MetalNetwork;
}

/** Starts a configured node: its serving certificate, then its services in order. */
export async function bootConfigured(boot: ConfiguredBoot): Promise<AgentContext> {
  const { paths, events } = boot;
  const settings = nodeSettings(boot.platform, boot.inForce.documents);
  const serving = await servingCertificate(paths, settings);
  // Loaded only where there is a runtime: the containerd client is a large part of the agent.
  const containers = boot.platform.containerRuntime
    ? (await import("./containers/node-runtime")).nodeRuntime(
        paths.root,
        boot.platform.address,
        boot.platform.cgroup,
      )
    : undefined;
  const runtime = containers?.runtime;
  const etcd = nodeEtcd({
    role: settings.identity.role,
    stateDir: paths.root,
    address: boot.platform.address,
    name: () => ctx.identity.name,
    controlPlanes: () => boot.platform.controlPlanes ?? [],
    etcd: () => ctx.settings.etcd,
    clusterName: settings.identity.cluster,
  });
  const supervisor = new Supervisor(
    systemServices(() => ctx, boot.platform, serving, containers, etcd),
    paths.logs,
    (status, why) =>
      events.record({ kind: "service", subject: status.id, message: `${status.state}: ${why}` }),
  );
  const lifecycle = new Lifecycle(supervisor, events, boot.power, {
    quiesce: () => {
      repairBootEntry(boot.boot, events);
      return boot.config.quiesce(`${settings.identity.name} is powering off`);
    },
    console: (line) => console.error(line),
  });
  const image = boot.boot.image;
  const ctx: AgentContext = {
    platform: boot.platform,
    identity: settings.identity,
    settings,
    image,
    host: new LinuxHost(),
    files: filesFor(settings, paths.logs),
    supervisor,
    events,
    lifecycle,
    config: boot.config,
    upgrade: nodeUpgrades({
      boot: boot.boot,
      paths,
      platform: boot.platform,
      events,
      lifecycle,
      config: boot.config,
      configuredKeys: () => ctx.settings.upgrade.trustedKeys,
    }),
    stateDir: paths.root,
    logDir: paths.logs,
    runtime,
    etcd,
    network: boot.network,
    bootId: randomUUID(),
  };
  events.record({
    kind: "node",
    subject: settings.identity.name,
    message: `booted image ${image.version} from slot ${image.slot} with configuration revision ${boot.inForce.revision}`,
  });
  ctx.upgrade.fallbacks.detect(image);
  supervisor.start();
  void gateThisBoot(ctx);
  return ctx;
}

/** A boot on trial commits once the node is healthy, or reboots to spend another try. */
async function gateThisBoot(ctx: AgentContext): Promise<void> {
  const problems = nodeProblems(ctx);
  try {
    await runHealthGate(
      {
        control: ctx.upgrade.boot.control,
        journal: ctx.upgrade.boot.journal,
        events: ctx.events,
        reboot: (reason) => ctx.lifecycle.request({ action: "reboot", actor: "", reason }),
        image: ctx.image,
        timeoutMs: ctx.settings.upgrade.healthTimeoutMs,
        problems: problems.check,
        committed: () => ctx.config.commitBoot(ctx.image.slot),
      },
      new AbortController().signal,
    );
  } catch (error) {
    console.error(`keelsond: upgrade health gate: ${(error as Error).message}`);
  } finally {
    problems.close();
  }
}
