import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { AgentContext } from "./context";
import { EventLog } from "./events";
import { AllowListFiles, LinuxHost } from "./host";
import { Lifecycle, type Power } from "./lifecycle";
import { imageSchema, nodeIdentitySchema, readJsonFile, statePaths } from "./state";
import { Supervisor } from "./supervisor";
import { systemServices } from "./system-services";

/** Paths every node lets the admin read, beyond those its identity adds. */
const defaultReadPaths = ["/proc", "/sys", "/etc/os-release", "/var/log"];

/**
 * Boots the agent on a node: reads its identity and image, starts the fixed
 * services in order, and records why it booted. Returns the running context.
 */
export function bootAgent(stateDir: string, power: Power): AgentContext {
  const paths = statePaths(stateDir);
  const identity = readJsonFile(paths.identity, nodeIdentitySchema, "node identity");
  const image = readJsonFile(paths.image, imageSchema, "booted image record");
  mkdirSync(paths.logs, { recursive: true });
  const events = new EventLog(paths.events);
  const supervisor = new Supervisor(
    systemServices(() => ctx, paths),
    paths.logs,
    (status, why) =>
      events.record({ kind: "service", subject: status.id, message: `${status.state}: ${why}` }),
  );
  const ctx: AgentContext = {
    identity,
    image,
    host: new LinuxHost(),
    files: new AllowListFiles([...defaultReadPaths, paths.logs, ...identity.allowedReadPaths]),
    supervisor,
    events,
    lifecycle: new Lifecycle(supervisor, events, power),
    logDir: paths.logs,
    caCertPath: paths.ca,
    caKeyPath: paths.caKey,
    bootId: randomUUID(),
  };
  events.record({
    kind: "node",
    subject: identity.name,
    message: `booted image ${image.version} from slot ${image.slot}`,
  });
  supervisor.start();
  return ctx;
}
