import type { ConnectRouter } from "@connectrpc/connect";
import { MachineService } from "../machinery/api/gen/keelson/machine/v1/machine_pb";
import { configHandlers } from "./config/config-handlers";
import { containersHandlers } from "./containers/containers-handlers";
import type { AgentContext } from "./context";
import { etcdHandlers } from "./etcd";

import { eventsHandlers } from "./events";
import { filesHandlers } from "./files";
import { inspectionHandlers } from "./inspection";
import { lifecycleHandlers } from "./lifecycle";
import { pkiHandlers } from "./pki";
import { servicesHandlers } from "./services";
import { upgradeHandlers } from "./upgrade/upgrade-handlers";

/** The whole MachineService, assembled from one set of handlers per capability. */
export function routes(ctx: AgentContext) {
  return (router: ConnectRouter) => {
    router.service(MachineService, {
      ...inspectionHandlers(ctx),
      ...servicesHandlers(ctx),
      ...eventsHandlers(ctx),
      ...filesHandlers(ctx),
      ...lifecycleHandlers(ctx),
      ...pkiHandlers(ctx),
      ...configHandlers(ctx),
      ...containersHandlers(ctx),
      ...etcdHandlers(ctx),
      ...upgradeHandlers(ctx),
    });
  };
}
