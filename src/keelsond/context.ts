import type { ServiceImpl } from "@connectrpc/connect";
import type { MachineService } from "../machinery/api/gen/keelson/machine/v1/machine_pb";
import type { EventLog } from "./events";
import type { Host, HostFiles } from "./host/host";
import type { Lifecycle } from "./lifecycle/lifecycle";
import type { BootedImage, NodeIdentity } from "./state";
import type { Supervisor } from "./supervisor";

/** Everything a capability may use; capabilities get it, never globals. */
export interface AgentContext {
  identity: NodeIdentity;
  image: BootedImage;
  host: Host;
  files: HostFiles;
  supervisor: Supervisor;
  events: EventLog;
  lifecycle: Lifecycle;
  logDir: string;
  caCertPath: string;
  caKeyPath: string;
  /** Random per agent start: tells clients this node rebooted. */
  bootId: string;
}

/** The RPCs one capability implements; the routes merge them into the whole service. */
export type Handlers = Partial<ServiceImpl<typeof MachineService>>;
