import { mkdirSync, statSync } from "node:fs";
import { appendFile, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { KeelsonError } from "../../machinery/errors";

/** An archive larger than this is refused: images the OS imports by hand are small. */
const maxUploadBytes = 2 * 1024 * 1024 * 1024;
const maxChunkBytes = 512 * 1024;

/**
 * Archive uploads in chunks of unary calls: each chunk must land exactly at
 * the end of what was received (so a retried chunk is refused, never
 * duplicated), and the last one hands the whole archive over and deletes it.
 */
export function imageUploads(dir: string) {
  const pathOf = (id: string) => {
    if (!/^[a-z0-9-]{8,64}$/.test(id)) {
      throw new KeelsonError(
        "invalidArgument",
        `upload id "${id.slice(0, 80)}" is not 8–64 of a-z, 0-9, -`,
      );
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return join(dir, id);
  };
  const sizeOf = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return 0;
    }
  };
  return {
    async append(id: string, offset: bigint, chunk: Uint8Array): Promise<bigint> {
      const path = pathOf(id);
      const size = sizeOf(path);
      if (chunk.length > maxChunkBytes)
        throw new KeelsonError(
          "invalidArgument",
          `chunk of ${chunk.length} bytes is over ${maxChunkBytes}`,
        );
      if (offset !== BigInt(size)) {
        throw new KeelsonError(
          "failedPrecondition",
          `chunk at offset ${offset}, but ${size} bytes were received`,
          "resume from the received size",
        );
      }
      if (size + chunk.length > maxUploadBytes)
        throw new KeelsonError("resourceExhausted", "archive is over 2 GiB");
      await appendFile(path, chunk);
      return BigInt(size + chunk.length);
    },
    async finish<T>(id: string, use: (archive: Buffer) => Promise<T>): Promise<T> {
      const path = pathOf(id);
      try {
        return await use(await readFile(path));
      } finally {
        await rm(path, { force: true });
      }
    },
  };
}
