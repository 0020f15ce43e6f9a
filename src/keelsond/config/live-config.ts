import type { ConfigDocument } from "../../machinery/config";
import type { AgentContext } from "../context";
import { AllowListFiles } from "../host";
import { bringUpNetwork } from "../network";
import { type NodeSettings, nodeSettings } from "./node-settings";

/** Paths every node lets the admin read, beyond those its configuration adds. */
const defaultReadPaths = ["/proc", "/sys", "/etc/os-release", "/var/log"];

export function filesFor(settings: NodeSettings, logDir: string): AllowListFiles {
  return new AllowListFiles([...defaultReadPaths, logDir, ...settings.allowedReadPaths]);
}

/**
 * Applies what can change without a reboot: hostname, log level, readable
 * paths, the metal image's network. Handlers read these from the context at call time, so the next call
 * sees them.
 */
export function applyLiveConfig(ctx: AgentContext, documents: readonly ConfigDocument[]): void {
  const settings = nodeSettings(ctx.platform, documents);
  ctx.settings = settings;
  ctx.identity = settings.identity;
  ctx.files = filesFor(settings, ctx.logDir);
  if (ctx.network) void bringUpNetwork(ctx.network, settings.network, ctx.events);
}
