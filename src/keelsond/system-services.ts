import { existsSync } from "node:fs";
import { connect } from "node:net";
import type { PemPair } from "../machinery/pki";
import type { ContainerdService } from "./containers/daemon/containerd-service";
import type { AgentContext } from "./context";
import type { EtcdMember } from "./etcd";

import { kubeletService } from "./kubelet/kubelet-service";
import { routes } from "./routes";
import { accessLog, startApiServer } from "./server";
import { listenAddress, type Platform } from "./state";
import { type ServiceSpec, TaskRunner } from "./supervisor";
import { testFaultService } from "./upgrade/test-fault";

/**
 * The fixed set of services this node runs. There are no user-defined
 * services: what runs is decided by the OS and shaped only by configuration.
 */
export function systemServices(
  ctx: () => AgentContext,
  platform: Platform,
  serving: PemPair,
  runtime: { runtime: ContainerdService; services: ServiceSpec[] } | undefined,
  etcd: EtcdMember | undefined,
): ServiceSpec[] {
  const optional = [
    kubeletService(platform, ctx, runtime?.runtime),
    // A host without the etcd binary (a process node without etcd-server) has none to run.
    existsSync(etcdBinary) ? etcd?.spec : undefined,
    ...(runtime?.services ?? []),
    testFaultService(),
  ];
  return [apid(ctx, serving), ...optional.filter((s): s is ServiceSpec => s !== undefined)];
}

const etcdBinary = "/usr/bin/etcd";

/** apid: the node API itself, supervised like any other service. */
function apid(ctx: () => AgentContext, serving: PemPair): ServiceSpec {
  return {
    id: "apid",
    restart: "forever",
    stopGraceMs: 5000,
    runner: () =>
      new TaskRunner(async (log) => {
        const { identity } = ctx();
        const server = await startApiServer({
          address: listenAddress(identity),
          port: identity.port,
          ca: ctx().settings.ca.crt,
          cert: serving.cert,
          key: serving.key,
          routes: routes(ctx()),
          interceptors: [accessLog(log, () => ctx().settings.logLevel)],
        });
        log.line(`serving the node API on ${identity.address}:${identity.port} (mTLS, TLS 1.3)`);
        return { stop: () => server.close() };
      }),
    health: {
      intervalMs: 5000,
      timeoutMs: 2000,
      check: (signal) => tcpReachable(ctx().identity.address, ctx().identity.port, signal),
    },
  };
}

function tcpReachable(host: string, port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, signal });
    socket.once("connect", () => {
      socket.destroy();
      resolve();
    });
    socket.once("error", (error) => reject(new Error(`API port not reachable: ${error.message}`)));
  });
}
