import type { ServerResponse } from "node:http";

/** A slow watcher this far behind is cut off; it re-lists, as with a real server. */
const maxBufferedBytes = 32 * 1024 * 1024;

/**
 * How long events wait to share a socket write. Under a burst of writes a
 * write per event and watcher costs more (TLS records, syscalls) than the
 * events themselves; a few milliseconds is far inside watch latency budgets.
 */
const flushMs = 5;

/**
 * Writes watch events as newline-delimited JSON, coalescing everything
 * produced within a few milliseconds into a single socket write.
 */
export class WatchStream {
  private pending: Buffer[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly onClose: () => void,
    contentType = "application/json",
  ) {
    res.writeHead(200, {
      "Content-Type": contentType,
      "Transfer-Encoding": "chunked",
      "Cache-Control": "no-cache",
    });
    res.flushHeaders();
    res.on("close", () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** One event: a string is a line without its newline, a Buffer a complete line or frame. */
  send(line: string | Buffer): void {
    if (this.closed) return;
    this.pending.push(typeof line === "string" ? Buffer.from(`${line}\n`) : line);
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), flushMs);
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    this.onClose();
    this.res.end();
  }

  private flush(): void {
    this.scheduled = false;
    if (this.closed || this.pending.length === 0) return;
    const data = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.res.write(data);
    if (this.res.writableLength > maxBufferedBytes) this.close();
  }
}
