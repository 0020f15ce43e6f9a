import { setTimeout as sleep } from "node:timers/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DmesgResponseSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { type KmsgRecord, parseKmsgRecord } from "../../../machinery/linux/parse/parse-kmsg-record";
import { KmsgDevice } from "./kmsg-device";

export interface DmesgOptions {
  follow: boolean;
  /** Only the last N records already in the buffer; 0 means all. */
  tail: number;
  signal: AbortSignal;
}

/** How long to wait before asking /dev/kmsg again when following an idle log. */
const POLL_MS = 200;

/**
 * Kernel messages from /dev/kmsg. The buffer is drained first (keeping only
 * the last `tail` records if asked), then, with follow, polled until the
 * signal aborts; aborting ends the stream without an error.
 */
export async function* readDmesg(
  path: string,
  options: DmesgOptions,
): AsyncGenerator<MessageInitShape<typeof DmesgResponseSchema>> {
  const device = await KmsgDevice.open(path);
  try {
    yield* backlog(device, options);
    while (options.follow && !options.signal.aborted) {
      const record = await nextRecord(device);
      if (record) yield record;
      else await sleep(POLL_MS, undefined, { signal: options.signal }).catch(() => {});
    }
  } finally {
    await device.close();
  }
}

async function* backlog(device: KmsgDevice, options: DmesgOptions): AsyncGenerator<KmsgRecord> {
  const kept: KmsgRecord[] = [];
  for (let record = await nextRecord(device); record; record = await nextRecord(device)) {
    if (options.signal.aborted) return;
    if (options.tail === 0) yield record;
    else keepLast(kept, record, options.tail);
  }
  yield* kept.slice(-options.tail);
}

/** Appends, trimming in bulk once the list doubles so tailing stays linear. */
function keepLast<T>(kept: T[], item: T, limit: number): void {
  kept.push(item);
  if (kept.length >= limit * 2) kept.splice(0, kept.length - limit);
}

/**
 * The next parsed record, or undefined when none is pending. A record we
 * cannot parse is skipped: one odd line must not end a follow stream.
 */
async function nextRecord(device: KmsgDevice): Promise<KmsgRecord | undefined> {
  for (let text = await device.next(); text !== undefined; text = await device.next()) {
    try {
      return parseKmsgRecord(text);
    } catch {
      // Malformed record: keep reading.
    }
  }
  return undefined;
}
