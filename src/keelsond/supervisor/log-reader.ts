import { watch } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { AsyncQueue } from "../streams";

/** The last `lines` whole lines of a log (all of it when 0) and the offset they end at. */
export async function readTail(
  path: string,
  lines: number,
): Promise<{ data: Buffer; end: number }> {
  const data = await readFile(path);
  if (lines === 0) return { data, end: data.length };
  let start = data.length;
  // Walk back over `lines` newlines; the file always ends with one.
  for (let seen = 0; start > 0; ) {
    const at = data.lastIndexOf(10, start - 2);
    if (at < 0) {
      start = 0;
      break;
    }
    start = at + 1;
    if (++seen === lines) break;
  }
  return { data: data.subarray(start), end: data.length };
}

/**
 * Yields what is appended to `path` after `offset` until the signal aborts.
 * A watcher wakes it; a slow poll covers filesystems where watching is lossy,
 * and a file that shrank (rotated) is read again from its start.
 */
export async function* followFile(
  path: string,
  offset: number,
  signal: AbortSignal,
): AsyncIterable<Buffer> {
  const ticks = new AsyncQueue<true>(signal);
  const watcher = watch(path, { persistent: false }, () => ticks.push(true));
  const poll = setInterval(() => ticks.push(true), 500);
  let position = offset;
  try {
    for await (const _ of ticks) {
      const size = (await stat(path).catch(() => ({ size: position }))).size;
      if (size < position) position = 0;
      if (size === position) continue;
      const chunk = await readRange(path, position, size);
      position += chunk.length;
      yield chunk;
    }
  } finally {
    clearInterval(poll);
    watcher.close();
  }
}

async function readRange(path: string, from: number, to: number): Promise<Buffer> {
  const file = await open(path, "r");
  try {
    const buffer = Buffer.alloc(to - from);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, from);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}
