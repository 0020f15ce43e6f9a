import { type FSWatcher, watch } from "node:fs";
import { open, stat } from "node:fs/promises";

/**
 * Copies what a container's shim appends to its log file into the service's
 * log, so a containerised service's output reads like any other service's.
 * stop() drains what is left, so the last lines before an exit are kept.
 */
export class LogPump {
  private position: number;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> = Promise.resolve();

  constructor(
    private readonly path: string,
    offset: number,
    private readonly sink: (chunk: Buffer) => void,
  ) {
    this.position = offset;
  }

  /** Where a pump should start so it copies only output written from now on. */
  static async endOf(path: string): Promise<number> {
    return (await stat(path).catch(() => ({ size: 0 }))).size;
  }

  start(): void {
    // The shim creates the file only when the task starts; the poll covers that and lossy watches.
    this.timer = setInterval(() => this.kick(), 250);
    try {
      this.watcher = watch(this.path, { persistent: false }, () => this.kick());
    } catch {
      // Not there yet: the poll picks it up.
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.watcher?.close();
    this.kick();
    await this.pumping;
  }

  private kick(): void {
    this.pumping = this.pumping.then(() => this.copy()).catch(() => {});
  }

  private async copy(): Promise<void> {
    const { size } = await stat(this.path).catch(() => ({ size: this.position }));
    if (size < this.position) this.position = 0;
    if (size === this.position) return;
    const file = await open(this.path, "r");
    try {
      const buffer = Buffer.alloc(size - this.position);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, this.position);
      this.position += bytesRead;
      if (bytesRead > 0) this.sink(buffer.subarray(0, bytesRead));
    } finally {
      await file.close();
    }
  }
}
