import { closeSync, openSync, renameSync, statSync, writeSync } from "node:fs";

/** A log file is rotated to `.1` past this size, so a chatty service cannot fill the disk. */
const maxBytes = 8 * 1024 * 1024;

/**
 * Appends whole, timestamped lines to a service's log file. Partial lines from
 * a process are held until their newline so followers only ever see whole lines.
 */
export class LogWriter {
  private fd: number;
  private size: number;
  private partial = "";

  constructor(readonly path: string) {
    this.fd = openSync(path, "a");
    this.size = statSync(path).size;
  }

  /** Writes a chunk of output; splits it into lines. */
  write(chunk: string | Buffer): void {
    const text = this.partial + chunk.toString();
    const lines = text.split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  line(text: string): void {
    const data = `${new Date().toISOString()} ${text}\n`;
    if (this.size + data.length > maxBytes) this.rotate();
    writeSync(this.fd, data);
    this.size += Buffer.byteLength(data);
  }

  close(): void {
    if (this.partial) this.line(this.partial);
    this.partial = "";
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    renameSync(this.path, `${this.path}.1`);
    this.fd = openSync(this.path, "a");
    this.size = 0;
  }
}
