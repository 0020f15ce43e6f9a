import { KeelsonError } from "../../machinery/errors";
import type { Connector } from "./wait-ready";

/** Forms the cluster's etcd on its first control plane, through the node API like `keelctl bootstrap`. */
export async function bootstrapEtcd(
  node: { name: string; address: string; stateDir: string } | undefined,
  connect: Connector,
): Promise<void> {
  if (!node) return;
  const connection = await connect(node);
  if (!connection) throw new KeelsonError("unavailable", `${node.name} does not answer`);
  try {
    await connection.client.etcdBootstrap({}, { timeoutMs: 90_000 });
  } finally {
    connection.close();
  }
}
