import type { ServerResponse } from "node:http";

/** A slow watcher this far behind is cut off; it re-lists, as with a real server. */
const maxBufferedBytes = 32 * 1024 * 1024;

/**
 * Writes watch events as newline-delimited JSON, coalescing everything
 * produced in one turn of the event loop into a single socket write.
 */
export class WatchStream {
  private pending: string[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly onClose: () => void,
  ) {
    res.writeHead(200, {
      "Content-Type": "application/json",
      "Transfer-Encoding": "chunked",
      "Cache-Control": "no-cache",
    });
    res.flushHeaders();
    res.on("close", () => this.close());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(line: string): void {
    if (this.closed) return;
    this.pending.push(line);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
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
    const text = `${this.pending.join("\n")}\n`;
    this.pending = [];
    this.res.write(text);
    if (this.res.writableLength > maxBufferedBytes) this.close();
  }
}
