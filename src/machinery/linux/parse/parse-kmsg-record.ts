import { malformed } from "./malformed";

export interface KmsgRecord {
  sequence: bigint;
  monotonicUs: bigint;
  facility: string;
  priority: string;
  message: string;
}

/** syslog(3) facility names by number; 12-15 as rsyslog names them. */
const facilities = (
  "kern user mail daemon auth syslog lpr news uucp cron authpriv ftp " +
  "ntp security console solaris-cron local0 local1 local2 local3 local4 local5 local6 local7"
).split(" ");
const priorities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

/**
 * One record read from /dev/kmsg (Documentation/ABI/testing/dev-kmsg):
 * "prio,seq,ts_us,flags[,...];message" followed by continuation lines that
 * start with a space and carry KEY=value metadata, which is dropped.
 */
export function parseKmsgRecord(text: string): KmsgRecord {
  const source = "/dev/kmsg record";
  const semicolon = text.indexOf(";");
  if (semicolon < 0) throw malformed(source, "no ';' after the header");
  const [prio, seq, ts] = text.slice(0, semicolon).split(",");
  if (
    !/^\d{1,4}$/.test(prio ?? "") ||
    !/^\d{1,20}$/.test(seq ?? "") ||
    !/^\d{1,20}$/.test(ts ?? "")
  ) {
    throw malformed(source, `bad header ${JSON.stringify(text.slice(0, semicolon))}`);
  }
  const level = Number(prio);
  const facility = level >> 3;
  return {
    sequence: BigInt(seq!),
    monotonicUs: BigInt(ts!),
    facility: facilities[facility] ?? `facility${facility}`,
    priority: priorities[level & 7]!,
    message: decodeKmsgText(text.slice(semicolon + 1).split("\n")[0]!),
  };
}

/**
 * The kernel writes every byte outside printable ASCII, and the backslash, as
 * \xNN, so UTF-8 text arrives byte by byte; decode it back to a string.
 */
export function decodeKmsgText(text: string): string {
  if (!text.includes("\\x")) return text;
  const parts = text.split(/(\\x[0-9a-fA-F]{2})/);
  const bytes = parts.map((part, i) =>
    i % 2 === 1 ? Buffer.of(Number.parseInt(part.slice(2), 16)) : Buffer.from(part, "utf8"),
  );
  return Buffer.concat(bytes).toString("utf8");
}
