import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Credentials } from "../machinery/client";
import { readClientConfig } from "../machinery/clientconfig";
import { parseSecrets } from "../machinery/config";

import { issue } from "../machinery/pki";
import { type ClusterRecord, createCluster, destroyCluster } from "../provisioners/process";

export interface TempCluster {
  record: ClusterRecord;
  home: string;
  configPath: string;
  /** CA and CA key of the cluster, to issue test certificates. */
  ca: { cert: string; key: string };
  admin: Credentials;
  /** Environment for keelctl processes that should use this cluster. */
  env: NodeJS.ProcessEnv;
  credentialsFor(
    organizations: string[],
    validity?: { notBefore?: Date; notAfter?: Date },
  ): Promise<Credentials>;
  destroy(): Promise<void>;
}

/**
 * A real local cluster of agent processes in a temporary KEELSON_HOME, for
 * integration tests. Uses the bundles in dist/ (npm test builds them first).
 */
export interface TempClusterOptions {
  controlPlanes?: number;
  workers?: number;
  /** Start kubesim beside the nodes (default: no Kubernetes). */
  kubernetes?: { demoWorkload?: boolean; timeScale?: number };
  /** Nodes boot unconfigured, into maintenance mode. */
  skipConfig?: boolean;
  /** Run containerd on the nodes (off by default: most tests do not need it). */
  containerRuntime?: boolean;
  /** Seconds of agent silence before a node's watchdog resets it. */
  watchdogSeconds?: number;
}

export async function startTempCluster(options: TempClusterOptions = {}): Promise<TempCluster> {
  const { controlPlanes = 1, workers = 1, kubernetes } = options;
  const home = mkdtempSync(join(tmpdir(), "keelson-it-"));
  const previous = process.env.KEELSON_HOME;
  process.env.KEELSON_HOME = home;
  const configPath = join(home, "config");
  const name = `it${process.pid}`;
  const record = await createCluster({
    name,
    controlPlanes,
    workers,
    configPath,
    skipConfig: options.skipConfig,
    containerRuntime: options.containerRuntime ?? false,
    ...(options.watchdogSeconds ? { watchdogSeconds: options.watchdogSeconds } : {}),
    ...(kubernetes ? { kubernetes: "kubesim", ...kubernetes } : { kubernetes: "none" }),
  });

  if (previous === undefined) delete process.env.KEELSON_HOME;
  else process.env.KEELSON_HOME = previous;
  const secrets = parseSecrets(readFileSync(join(home, "clusters", name, "secrets.yaml"), "utf8"));
  const ca = { cert: secrets.certs.os.crt, key: secrets.certs.os.key };
  const context = (await readClientConfig(configPath)).contexts[name];
  if (!context) throw new Error("cluster context missing");
  return {
    record,
    home,
    configPath,
    ca,
    admin: { ca: context.ca, cert: context.crt, key: context.key },
    env: { ...process.env, KEELSON_HOME: home, KEELCONFIG: configPath, NO_COLOR: "1" },
    async credentialsFor(organizations, validity) {
      const pair = await issue(
        { commonName: "test", organizations, usage: "client", ...validity },
        ca,
      );
      return { ca: ca.cert, cert: pair.cert, key: pair.key };
    },
    async destroy() {
      process.env.KEELSON_HOME = home;
      try {
        await destroyCluster(name, configPath);
      } finally {
        if (previous === undefined) delete process.env.KEELSON_HOME;
        else process.env.KEELSON_HOME = previous;
        rmSync(home, { recursive: true, force: true });
      }
    },
  };
}
