import {
  type Credentials,
  connectMachine,
  connectMaintenance,
  type MachineConnection,
} from "../../machinery/client";
import {
  type ClientContext,
  defaultConfigPath,
  readClientConfig,
  resolveTargets,
  selectContext,
  type Target,
} from "../../machinery/clientconfig";
import { KeelsonError } from "../../machinery/errors";
import type { GlobalOptions } from "./global-options";
import { processTlsSessions } from "./tls-session-file";

/** The resolved client side of one keelctl invocation: whom to call, with which credentials. */
export interface Session {
  context: ClientContext;
  credentials: Credentials;
  targets: Target[];
  timeoutMs: number;
  /** A connection whose calls time out after the session's timeout, or never when `follow`. */
  connect(target: Target, follow?: boolean): MachineConnection;
}

/** The client config's chosen context: its name, its nodes and its credentials. */
export async function openContext(options: GlobalOptions) {
  const path = options.config ?? defaultConfigPath();
  const config = await readClientConfig(path);
  const context = selectContext(config, options.context, path);
  const name = options.context ?? config.context ?? "";
  const credentials: Credentials = { ca: context.ca, cert: context.crt, key: context.key };
  return { name, context, credentials };
}

export async function openSession(options: GlobalOptions): Promise<Session> {
  const { context, credentials } = await openContext(options);
  const targets = resolveTargets(context, options.nodes ?? [], options.selector);
  if (targets.length === 0) {
    throw new KeelsonError(
      "invalidArgument",
      options.selector ? `no node matches selector "${options.selector}"` : "no nodes to call",
      "name them with --nodes/-n, or set default nodes in the context",
    );
  }
  const timeoutMs = options.callTimeout * 1000;
  const tlsSessions = processTlsSessions();
  return {
    context,
    credentials,
    targets,
    timeoutMs,
    connect: (target, follow) =>
      connectMachine(target.address, credentials, follow ? undefined : timeoutMs, tlsSessions),
  };
}

/**
 * A session with nodes in maintenance mode: no client config exists yet for
 * them, so targets are addresses and the bootstrap token authenticates.
 */
export function openMaintenanceSession(options: GlobalOptions, token: string): Session {
  const empty = { ca: "", crt: "", key: "", endpoints: [], nodes: [] };
  const targets = resolveTargets(empty, options.nodes ?? []);
  if (targets.length === 0) {
    throw new KeelsonError(
      "invalidArgument",
      "name the nodes to configure by address with --nodes/-n",
    );
  }
  const timeoutMs = options.callTimeout * 1000;
  return {
    context: empty,
    credentials: { ca: "", cert: "", key: "" },
    targets,
    timeoutMs,
    connect: (target) => connectMaintenance(target.address, token, timeoutMs),
  };
}
