import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Credentials } from "../../machinery/client";
import { type ClientConfig, upsertContext } from "../../machinery/clientconfig";
import { generateConfigs, generateSecrets, stringifySecrets } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import { clusterDir } from "../../machinery/platform/keelson-home";
import type { ClusterRecord } from "./cluster-record";

export interface ClusterShape {
  name: string;
  controlPlanes: number;
  workers: number;
}

/** The cluster's name and size, as every provisioner takes them. */
export function validateClusterShape(options: ClusterShape): void {
  if (!/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(options.name)) {
    throw new KeelsonError(
      "invalidArgument",
      `cluster name "${options.name}" is not a DNS label of up to 32 characters`,
      "use lowercase letters, digits and '-'",
    );
  }
  if (!Number.isInteger(options.controlPlanes) || options.controlPlanes < 1) {
    throw new KeelsonError("invalidArgument", "a cluster needs at least one control plane");
  }
  if (
    !Number.isInteger(options.workers) ||
    options.workers < 0 ||
    options.controlPlanes + options.workers > 250
  ) {
    throw new KeelsonError(
      "invalidArgument",
      "workers must be 0 or more, and the cluster at most 250 nodes",
    );
  }
}

/** A new cluster: its folder, made now (no cluster of that name may exist), and its empty record. */
export async function newCluster(
  shape: ClusterShape,
  provisioner: ClusterRecord["provisioner"],
): Promise<{ dir: string; record: ClusterRecord }> {
  validateClusterShape(shape);
  const dir = clusterDir(shape.name);
  await mkdir(join(dir, ".."), { recursive: true });
  await mkdir(dir).catch(() => {
    throw new KeelsonError(
      "alreadyExists",
      `cluster "${shape.name}" already exists`,
      `destroy it first: keelctl cluster destroy --name ${shape.name}`,
    );
  });
  return {
    dir,
    record: { name: shape.name, provisioner, createdAt: new Date().toISOString(), nodes: [] },
  };
}

/**
 * The cluster's secrets, kept beside it as gen config keeps them (configs
 * can be regenerated from them exactly), the configs generated from them,
 * and the admin's credentials.
 */
export async function clusterConfigs(dir: string, name: string, endpoint: string) {
  const secrets = await generateSecrets();
  await writeFile(join(dir, "secrets.yaml"), stringifySecrets(secrets), { mode: 0o600 });
  const configs = await generateConfigs({ clusterName: name, endpoint, secrets });
  const context: ClientConfig["contexts"][string] | undefined = configs.clientConfig.contexts[name];
  if (!context) throw new KeelsonError("internal", "generated client config has no context");
  const credentials: Credentials = { ca: context.ca, cert: context.crt, key: context.key };
  return { secrets, configs, context, credentials };
}

type RecordedNode = ClusterRecord["nodes"][number];

/** What the cluster's record keeps of a node. */
export const recordedNode = ({ name, role, address, stateDir }: RecordedNode): RecordedNode => ({
  name,
  role,
  address,
  stateDir,
});

/** The admin's context for the cluster, with every node as an endpoint, written to the client config. */
export function saveContext(
  configPath: string,
  name: string,
  context: ClientConfig["contexts"][string],
  nodes: readonly RecordedNode[],
): Promise<void> {
  return upsertContext(configPath, name, {
    ...context,
    endpoints: nodes.map((n) => ({ name: n.name, address: n.address, role: n.role })),
  });
}
