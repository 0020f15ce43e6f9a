import { statfs } from "node:fs/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { MountSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { type MountEntry, parseMountinfo } from "../../../machinery/linux/parse/parse-mountinfo";
import { mapLimited } from "./map-limited";
import { readText } from "./read-proc";

type Mount = MessageInitShape<typeof MountSchema>;

export async function readMounts(): Promise<Mount[]> {
  const entries = parseMountinfo(await readText("/proc/self/mountinfo"));
  return mapLimited(entries, 16, withUsage);
}

/**
 * Adds size and free space. A mount that cannot be statted (gone, or a FUSE
 * daemon refusing us) keeps zeros rather than failing the list. A hung network
 * filesystem would still stall its statfs: /proc offers no way to ask ahead.
 */
async function withUsage(entry: MountEntry): Promise<Mount> {
  try {
    const stats = await statfs(entry.target, { bigint: true });
    return {
      ...entry,
      sizeBytes: stats.blocks * stats.bsize,
      availableBytes: stats.bavail * stats.bsize,
    };
  } catch {
    return { ...entry, sizeBytes: 0n, availableBytes: 0n };
  }
}
