import { mkdirSync, statSync } from "node:fs";
import { appendFile, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { KeelsonError } from "../../machinery/errors";

/** An upload larger than this is refused: images and bundles the OS takes are far smaller. */
const maxUploadBytes = 2 * 1024 * 1024 * 1024;
const maxChunkBytes = 512 * 1024;

/**
 * Uploads in chunks of unary calls (an image archive, an upgrade bundle): each chunk must land exactly at
 * the end of what was received (so a retried chunk is refused, never
 * duplicated); `finish` hands a small upload over whole and deletes it, `file`
 * names a large one for streaming.
 */
export function chunkedUploads(dir: string) {
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
        throw new KeelsonError("resourceExhausted", "the upload is over 2 GiB");
      await appendFile(path, chunk);
      return BigInt(size + chunk.length);
    },
    /** The file an upload was written to, for readers that stream it; a clear error when there is none. */
    file(id: string): string {
      const path = pathOf(id);
      if (sizeOf(path) === 0)
        throw new KeelsonError(
          "notFound",
          `no upload "${id}" on this node`,
          "upload the bundle first (keelctl upgrade does)",
        );
      return path;
    },
    async remove(id: string): Promise<void> {
      await rm(pathOf(id), { force: true });
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
