import { closeSync, openSync, renameSync, statSync, writeSync } from "node:fs";

/** A log file is rotated to `.1` past this size, so a chatty service cannot fill the disk. */
const maxBytes = 8 * 1024 * 1024;

/**
 * Appends whole, timestamped lines to a service's log file. Partial lines from
 * a process are held until their newline so followers only ever see whole
 * lines. Lines written in one turn of the event loop go out in one write at
 * its end: the API logs every call, and a write per line was a tenth of a
 * call's cost. Whatever is held when the process exits (a reboot, a crash) is
 * written by an exit hook.
 */
export class LogWriter {
  private fd: number;
  private size: number;
  private partial = "";
  private pending: string[] = [];
  private flushScheduled = false;

  constructor(readonly path: string) {
    this.fd = openSync(path, "a");
    this.size = statSync(path).size;
    flushOnExit(this);
  }

  /** Writes a chunk of output; splits it into lines. */
  write(chunk: string | Buffer): void {
    const text = this.partial + chunk.toString();
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  line(text: string): void {
    this.pending.push(`${new Date().toISOString()} ${text}\n`);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes the lines held for this turn now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.fd < 0) return;
    const data = this.pending.join("");
    this.pending = [];
    const bytes = Buffer.byteLength(data);
    if (this.size + bytes > maxBytes) this.rotate();
    writeSync(this.fd, data);
    this.size += bytes;
  }

  close(): void {
    if (this.partial) this.line(this.partial);
    this.partial = "";
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
    open.delete(this);
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, "a");
    this.size = 0;
  }
}

const open = new Set<LogWriter>();
let exitHooked = false;

function flushOnExit(writer: LogWriter): void {
  open.add(writer);
  if (exitHooked) return;
  exitHooked = true;
  process.once("exit", () => {
    for (const w of open) w.flush();
  });
}
