import { existsSync, readdirSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { removeContext } from "../../machinery/clientconfig";
import { unmountUnder } from "../../machinery/linux/unmount-under";
import { clusterDir } from "../../machinery/platform/keelson-home";
import { readClusterRecord } from "./cluster-record";
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
  await stopMachines(record?.nodes.map((n) => n.stateDir) ?? nodeDirsIn(dir));
  if (record?.kubernetes) await stopProcess(record.kubernetes.pid);
  unmountUnder(dir);
  await rm(dir, { recursive: true, force: true });
  await removeContext(configPath, name);
}

function nodeDirsIn(dir: string): string[] {
  const nodes = join(dir, "nodes");
  return existsSync(nodes) ? readdirSync(nodes).map((node) => join(nodes, node)) : [];
}
