import { readFile } from "node:fs/promises";
import type { ExitStatus } from "../supervisor";

interface LogEntry {
  level?: string;
  msg?: string;
  error?: string;
  path?: string;
}

/**
 * Why etcd exited, in one line from its own log since `offset` (where this
 * run began): the last panic or fatal entry, else the last error, else the
 * last line it printed (flag errors are plain text).
 */
export async function failureReason(
  logPath: string,
  offset: number,
  status: ExitStatus,
): Promise<string> {
  const text = await readFile(logPath).then(
    (data) => data.subarray(offset).toString("utf8"),
    () => "",
  );
  const lines = text.split("\n").map((line) => line.replace(/^\S+ /, "").trim());
  const exit = status.signal ? `signal ${status.signal}` : `code ${status.code}`;
  const cause = worst(lines) ?? lastPlain(lines);
  return cause ? `etcd exited with ${exit}: ${cause}` : `etcd exited with ${exit}`;
}

function worst(lines: readonly string[]): string | undefined {
  const entries = lines.flatMap(parseEntry);
  const pick =
    entries.findLast((e) => e.level === "panic" || e.level === "fatal") ??
    entries.findLast((e) => e.level === "error");
  if (!pick?.msg) return undefined;
  const detail = [pick.msg, pick.error].filter(Boolean).join(": ");
  return pick.path ? `${detail} (${pick.path})` : detail;
}

function parseEntry(line: string): LogEntry[] {
  if (!line.startsWith("{")) return [];
  try {
    return [JSON.parse(line) as LogEntry];
  } catch {
    return [];
  }
}

/** The last line that is neither JSON nor part of a Go stack trace. */
function lastPlain(lines: readonly string[]): string | undefined {
  return lines.findLast(
    (line) =>
      line !== "" &&
      !line.startsWith("{") &&
      !/^(goroutine |panic: |created by |\S+\.go:\d+|[\w./*()-]+\(.*\)$)/.test(line),
  );
}
