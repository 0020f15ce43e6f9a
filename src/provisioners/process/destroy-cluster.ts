import { existsSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { removeContext } from "../../machinery/clientconfig";
import { unmountUnder } from "../../machinery/linux/unmount-under";
import { clusterDir } from "../../machinery/platform/keelson-home";
import { type ClusterRecord, readClusterRecord } from "./cluster-record";
import { stopMachines, stopProcess } from "./stop-machines";

/**
 * Stops every node of a local cluster, removes its state and its client
 * context. State left without its record (a destroy interrupted half-way)
 * is cleaned up too, so destroying again always finishes the job.
 */
export async function destroyCluster(name: string, configPath: string): Promise<void> {
  const dir = clusterDir(name);
  const record = await readClusterRecord(name).catch((error: unknown) => {
    if (existsSync(dir)) return undefined;
    throw error;
  });
  await removeCluster(dir, record?.nodes.map((n) => n.stateDir) ?? nodeDirsIn(dir), record);
  await removeContext(configPath, name);
}

/**
 * Stops what runs of a cluster (its machines, whatever the provisioner; its
 * kubesim) and removes its folder: a destroy, and a create that failed.
 */
export async function removeCluster(
  dir: string,
  stateDirs: readonly string[],
  record: Pick<ClusterRecord, "kubernetes"> | undefined,
): Promise<void> {
  await stopMachines(stateDirs);
  if (record?.kubernetes) await stopProcess(record.kubernetes.pid);
  unmountUnder(dir);
  await rm(dir, { recursive: true, force: true });
}

function nodeDirsIn(dir: string): string[] {
  const nodes = join(dir, "nodes");
  return existsSync(nodes) ? readdirSync(nodes).map((node) => join(nodes, node)) : [];
}
