import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { KeelsonError } from "../../../machinery/errors";
import { descriptorPath, pinConfined } from "./open-confined";
import type { PathPolicy } from "./path-policy";

/** The size of each chunk read() yields, and so of each ReadResponse. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Opens a regular file for reading. The file is pinned and checked first and
 * only then opened, through its descriptor: opening a device can have effects
 * (a watchdog arms, a tape rewinds) and opening a FIFO blocks. O_NONBLOCK is
 * for the few "regular" pseudo-files that block on read (/proc/kmsg,
 * trace_pipe): they fail instead of parking a libuv thread.
 */
export async function openRegularFile(real: string, shown: string, policy: PathPolicy) {
  const pinned = await pinConfined(real, shown, policy);
  try {
    const stats = await pinned.stat();
    if (stats.isDirectory()) {
      throw new KeelsonError(
        "invalidArgument",
        `${JSON.stringify(shown)} is a directory`,
        "use list",
      );
    }
    if (!stats.isFile()) {
      throw new KeelsonError("invalidArgument", `${JSON.stringify(shown)} is not a regular file`);
    }
    const flags = constants.O_RDONLY | constants.O_NONBLOCK;
    return { handle: await open(descriptorPath(pinned), flags), size: stats.size };
  } catch (error) {
    throw KeelsonError.from(error);
  } finally {
    await pinned.close();
  }
}

/**
 * Streams a file until EOF rather than for stat's size: /proc and /sys files
 * report size 0 yet have content. Past `limit` bytes it fails instead of
 * truncating, so a client never mistakes a partial file for a whole one.
 */
export async function* readChunks(
  handle: FileHandle,
  shown: string,
  limit: number,
  signal: AbortSignal,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  while (!signal.aborted) {
    const chunk = new Uint8Array(CHUNK_BYTES);
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, null).catch((error: unknown) => {
      throw readFailure(shown, error);
    });
    if (bytesRead === 0) return;
    total += bytesRead;
    if (total > limit) throw tooLarge(shown, limit);
    yield bytesRead === CHUNK_BYTES ? chunk : chunk.slice(0, bytesRead);
  }
}

function readFailure(shown: string, error: unknown): KeelsonError {
  if ((error as NodeJS.ErrnoException).code !== "EAGAIN") return KeelsonError.from(error);
  return new KeelsonError(
    "failedPrecondition",
    `${JSON.stringify(shown)} is a stream that blocks until data arrives, not a file`,
  );
}

export function tooLarge(shown: string, limit: number): KeelsonError {
  return new KeelsonError(
    "resourceExhausted",
    `${JSON.stringify(shown)} is larger than the ${limit} bytes a single read may return`,
    "read a smaller file, or a rotated or compressed copy",
  );
}
