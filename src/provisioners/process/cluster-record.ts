import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import * as z from "zod/mini";
import { KeelsonError } from "../../machinery/errors";
import { clusterDir } from "../../machinery/platform/keelson-home";

export const clusterRecordSchema = z.object({
  name: z.string(),
  provisioner: z.enum(["process", "qemu"]),
  createdAt: z.string(),
  nodes: z.array(
    z.object({
      name: z.string(),
      role: z.enum(["controlplane", "worker"]),
      address: z.string(),
      stateDir: z.string(),
    }),
  ),
  kubernetes: z.optional(
    z.object({ address: z.string(), kubeconfig: z.string(), pid: z.number() }),
  ),
});

/** What `cluster show` prints and `cluster destroy` needs: the cluster's nodes and where they live. */
export type ClusterRecord = z.infer<typeof clusterRecordSchema>;

export function recordPath(name: string): string {
  return join(clusterDir(name), "cluster.json");
}

export async function readClusterRecord(name: string): Promise<ClusterRecord> {
  let text: string;
  try {
    text = await readFile(recordPath(name), "utf8");
  } catch {
    throw new KeelsonError(
      "notFound",
      `no local cluster named "${name}"`,
      "list them with keelctl cluster list",
    );
  }
  const parsed = clusterRecordSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new KeelsonError(
      "internal",
      `cluster record ${recordPath(name)} is damaged: ${parsed.error.message}`,
    );
  return parsed.data;
}

export async function writeClusterRecord(record: ClusterRecord): Promise<void> {
  await writeFile(recordPath(record.name), `${JSON.stringify(record, null, 2)}\n`);
}
