import { fields, parseSigned, parseUnsigned } from "./fields";
import { malformed } from "./malformed";

export interface PidStat {
  pid: number;
  /** The kernel's 15-character command name, as in `ps -o comm`. */
  comm: string;
  state: string;
  ppid: number;
  /** Clock ticks (USER_HZ) in user and kernel mode. */
  utime: number;
  stime: number;
  threads: number;
  virtualBytes: bigint;
}

/**
 * /proc/<pid>/stat. comm may itself contain spaces and parentheses, so the
 * fields are counted from the last ")" rather than split naively.
 */
export function parsePidStat(text: string): PidStat {
  const source = "/proc/<pid>/stat";
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) throw malformed(source, "no (comm)");
  const rest = fields(text.slice(close + 1).trim());
  // rest[0] is field 3 (state) of proc_pid_stat(5); vsize is field 23.
  const vsize = rest[20];
  if (vsize === undefined || !/^\d{1,20}$/.test(vsize)) throw malformed(source, "too few fields");
  return {
    pid: parseUnsigned(text.slice(0, open).trim(), source),
    comm: text.slice(open + 1, close),
    state: rest[0] ?? "",
    ppid: parseSigned(rest[1], source),
    utime: parseUnsigned(rest[11], source),
    stime: parseUnsigned(rest[12], source),
    threads: parseSigned(rest[17], source),
    virtualBytes: BigInt(vsize),
  };
}
