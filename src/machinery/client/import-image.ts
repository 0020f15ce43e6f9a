import { randomUUID } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import type { MachineService } from "../api/gen/keelson/machine/v1/machine_pb";
import { sendChunks } from "./send-chunks";

/**
 * Imports a local OCI or Docker archive into a node's containerd namespace,
 * in chunks of unary calls (the last one imports it). Returns the names of
 * the images it held.
 */
export async function importImage(
  client: Client<typeof MachineService>,
  path: string,
  namespace: string,
): Promise<string[]> {
  const uploadId = randomUUID();
  const res = await sendChunks(path, (offset, chunk, last) =>
    client.imageImport({ namespace, uploadId, offset, chunk, last }),
  );
  return res.images.map((i) => i.name);
}
