import type { ServiceImpl } from "@connectrpc/connect";
import type { MachineService } from "../machinery/api/gen/keelson/machine/v1/machine_pb";
import type { ConfigManager } from "./config/config-manager";
import type { NodeSettings } from "./config/node-settings";
import type { ContainerdService } from "./containers/daemon";
import type { EtcdMember } from "./etcd";
import type { EventLog } from "./events";
import type { Host, HostFiles } from "./host/host";
import type { Lifecycle } from "./lifecycle/lifecycle";
import type { MetalNetwork } from "./network";
import type { BootedImage, NodeIdentity, Platform } from "./state";
import type { Supervisor } from "./supervisor";
import type { NodeUpgrades } from "./upgrade/node-upgrades";

/**
 * Everything a capability may use; capabilities get it, never globals. The
 * configuration-derived fields change when a configuration is applied live,
 * so handlers read them at call time.
 */
export interface AgentContext {
  platform: Platform;
  identity: NodeIdentity;
  settings: NodeSettings;
  image: BootedImage;
  host: Host;
  files: HostFiles;
  supervisor: Supervisor;
  events: EventLog;
  lifecycle: Lifecycle;
  config: ConfigManager;
  /** Slots, boot state, the one upgrade at a time, fallbacks. */
  upgrade: NodeUpgrades;
  stateDir: string;
  logDir: string;
  /** This control plane's etcd member; undefined on workers. */
  etcd: EtcdMember | undefined;
  /** The metal image's links; undefined on a process node, whose network is its host's. */
  network: MetalNetwork | undefined;
  /** The container runtime (containerd), where the platform has one. */
  runtime: ContainerdService | undefined;
  /** Random per agent start: tells clients this node rebooted. */
  bootId: string;
}

/** The RPCs one capability implements; the routes merge them into the whole service. */
export type Handlers = Partial<ServiceImpl<typeof MachineService>>;
