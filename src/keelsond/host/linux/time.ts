import { existsSync } from "node:fs";
import { readlink } from "node:fs/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { TimeResponseSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { readBootTime } from "./kernel";
import { readAttribute } from "./read-proc";

/**
 * Node cannot call adjtimex(2), which is where the kernel keeps the NTP
 * "unsynchronised" flag. systemd-timesyncd touches this file once it has
 * synchronised, so its presence is the signal; any other time daemon reads
 * as false until Keelson's own time service reports it.
 */
const SYNCHRONIZED_FLAG = "/run/systemd/timesync/synchronized";

export async function readTime(): Promise<MessageInitShape<typeof TimeResponseSchema>> {
  const [bootTime, timezone] = await Promise.all([readBootTime(), readTimezone()]);
  return {
    nodeTime: timestampFromDate(new Date()),
    bootTime: timestampFromDate(bootTime),
    timezone,
    synchronized: existsSync(SYNCHRONIZED_FLAG),
  };
}

/** The host's zone first (/etc/timezone, the /etc/localtime link), then the agent's own. */
async function readTimezone(): Promise<string> {
  const named = await readAttribute("/etc/timezone");
  if (named) return named;
  const link = await readlink("/etc/localtime").catch(() => "");
  const zone = /zoneinfo\/(.+)$/.exec(link)?.[1];
  if (zone) return zone;
  return process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
}
