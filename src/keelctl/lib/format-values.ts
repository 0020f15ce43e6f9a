import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";

/** 1536 → "1.5 KiB": sizes for people; JSON and YAML keep exact bytes. */
export function bytes(value: bigint | number): string {
  let n = Number(value);
  const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let unit = 0;
  while (n >= 1024 && unit < units.length - 1) {
    n /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${n.toFixed(1)} ${units[unit]}`;
}

export function time(ts: Timestamp | undefined): string {
  return ts ? timestampDate(ts).toISOString() : "";
}

/** How long ago, compactly: "45s", "12m", "3h", "2d". */
export function age(ts: Timestamp | undefined, now = Date.now()): string {
  if (!ts) return "";
  const seconds = Math.max(0, Math.floor((now - timestampDate(ts).getTime()) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

/** A plan's ETA as a person reads it: the minute it lands, and "~" while it is only assumed. */
export function etaText(eta: number | undefined, estimated: boolean): string {
  if (eta === undefined) return "no ETA: no maintenance window opens";
  const at = new Date(Math.ceil(eta / 60_000) * 60_000).toISOString();
  const when =
    at.slice(0, 10) === new Date().toISOString().slice(0, 10)
      ? at.slice(11, 16)
      : `${at.slice(0, 10)} ${at.slice(11, 16)}`;
  return `ETA ${estimated ? "~" : ""}${when} UTC`;
}
