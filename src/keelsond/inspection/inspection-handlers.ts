import { keelsonVersion } from "../../machinery/version";
import type { AgentContext, Handlers } from "../context";
import { fallbackMessage } from "../upgrade/upgrade-handlers";

export function inspectionHandlers(ctx: AgentContext): Handlers {
  const { host } = ctx;
  return {
    async version() {
      const kernel = await host.kernel();
      return {
        node: ctx.identity.name,
        role: ctx.identity.role,
        agentVersion: keelsonVersion,
        osImageVersion: ctx.image.version,
        slot: ctx.image.slot,
        kernel: kernel.release,
        arch: kernel.arch,
        platform: ctx.identity.platform,
        ...unacknowledged(ctx),
      };
    },
    // The node's configured hostname: the image sets the kernel's to it, while a
    // process node shares its host's kernel and cannot.
    hostname: () => ({ hostname: ctx.identity.name }),
    processes: () => host.processes(),
    memory: () => host.memory(),
    cpu: () => host.cpu(),
    mounts: () => host.mounts(),
    disks: () => host.disks(),
    networkLinks: () => host.links(),
    networkAddresses: () => host.addresses(),
    networkRoutes: () => host.routes(),
    time: () => host.time(),
    dmesg: (req, call) => host.dmesg({ follow: req.follow, tail: req.tail, signal: call.signal }),
  };
}

/** A fallback nobody acknowledged yet, which Version and Health keep reporting. */
export function unacknowledged(ctx: AgentContext) {
  const fallback = ctx.upgrade.fallbacks.unacknowledged();
  return fallback ? { unacknowledgedFallback: fallbackMessage(fallback) } : {};
}
