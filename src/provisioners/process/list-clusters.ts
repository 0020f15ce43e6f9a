import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { keelsonHome } from "../../machinery/platform/keelson-home";
import { type ClusterRecord, readClusterRecord } from "./cluster-record";

export async function listClusters(): Promise<ClusterRecord[]> {
  const names = await readdir(join(keelsonHome(), "clusters")).catch(() => []);
  const records = await Promise.all(names.map((n) => readClusterRecord(n).catch(() => undefined)));
  return records.filter((r): r is ClusterRecord => r !== undefined);
}
