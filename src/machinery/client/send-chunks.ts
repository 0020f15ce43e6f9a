import { open } from "node:fs/promises";

/** The largest chunk a node takes in one call. */
export const chunkBytes = 512 * 1024;

/**
 * Sends a local file to a node in chunks of unary calls, each at the offset
 * the node has received so far; `send` is told which chunk is the last.
 * Returns what the last call answered.
 */
export async function sendChunks<R>(
  path: string,
  send: (offset: bigint, chunk: Uint8Array, last: boolean) => Promise<R>,
  onBytes?: (done: number, total: number) => void,
): Promise<R> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const buffer = Buffer.alloc(chunkBytes);
    for (let offset = 0; ; ) {
      const { bytesRead } = await file.read(buffer, 0, chunkBytes, offset);
      const last = offset + bytesRead >= size;
      const result = await send(BigInt(offset), buffer.subarray(0, bytesRead), last);
      offset += bytesRead;
      onBytes?.(offset, size);
      if (last) return result;
    }
  } finally {
    await file.close();
  }
}
