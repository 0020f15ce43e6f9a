import { randomUUID } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import type { MachineService, UpgradeRequest } from "../api/gen/keelson/machine/v1/machine_pb";
import { KeelsonError } from "../errors";
import { sendChunks } from "./send-chunks";

export interface BundleLocation {
  /** A local file, a path on the node (`onNode`), or an http(s) URL. */
  image: string;
  sha256?: string;
  onNode?: boolean;
}

export const isBundleUrl = (image: string) => /^https?:\/\//.test(image);

/** Where a node gets the bundle: a URL or node path as given, or a local file uploaded first. */
export async function upgradeSource(
  client: Client<typeof MachineService>,
  where: BundleLocation,
  onBytes?: (done: number, total: number) => void,
): Promise<UpgradeRequest["source"]> {
  if (isBundleUrl(where.image)) {
    if (!where.sha256)
      throw new KeelsonError(
        "invalidArgument",
        "a bundle URL needs its digest pinned",
        "pass its sha256 (sha256sum of the bundle file)",
      );
    return { case: "url", value: where.image };
  }
  if (where.onNode) return { case: "path", value: where.image };
  const uploadId = randomUUID();
  await sendChunks(
    where.image,
    (offset, chunk) => client.upgradeUpload({ uploadId, offset, chunk }),
    onBytes,
  ).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === "ENOENT")
      throw new KeelsonError(
        "notFound",
        `no bundle at ${where.image}`,
        "build one with keelctl image build, or give a path on the nodes",
      );
    throw KeelsonError.from(error);
  });
  return { case: "uploadId", value: uploadId };
}
