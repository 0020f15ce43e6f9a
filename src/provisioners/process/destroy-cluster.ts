import { rm } from "node:fs/promises";
import { removeContext } from "../../machinery/clientconfig";
import { clusterDir } from "../keelson-home";
import { readClusterRecord } from "./cluster-record";
import { stopMachines, stopProcess } from "./stop-machines";

/** Stops every node of a local cluster, removes its state and its client context. */
export async function destroyCluster(name: string, configPath: string): Promise<void> {
  const record = await readClusterRecord(name);
  await stopMachines(record.nodes.map((n) => n.stateDir));
  if (record.kubernetes) await stopProcess(record.kubernetes.pid);
  await rm(clusterDir(name), { recursive: true, force: true });
  await removeContext(configPath, name);
}
