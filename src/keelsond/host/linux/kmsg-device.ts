import { constants } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { KeelsonError } from "../../../machinery/errors";

/** Each read(2) of /dev/kmsg returns one whole record; it must fit (CONSOLE_EXT_LOG_MAX). */
const RECORD_MAX = 8192;

/**
 * /dev/kmsg opened non-blocking, so "no new record" is EAGAIN instead of a
 * libuv thread parked in read(2) until the kernel logs something.
 */
export class KmsgDevice {
  private readonly buffer = Buffer.alloc(RECORD_MAX);

  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<KmsgDevice> {
    try {
      return new KmsgDevice(await open(path, constants.O_RDONLY | constants.O_NONBLOCK));
    } catch (error) {
      throw cannotOpen(path, error);
    }
  }

  /** The next record's text, or undefined when none is pending right now. */
  async next(): Promise<string | undefined> {
    for (;;) {
      try {
        const { bytesRead } = await this.handle.read(this.buffer, 0, RECORD_MAX, null);
        return this.buffer.toString("latin1", 0, bytesRead);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "EAGAIN") return undefined;
        // The ring buffer overwrote records we had not read; the next read resumes at the oldest kept.
        if (code !== "EPIPE") throw KeelsonError.from(error);
      }
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

function cannotOpen(path: string, error: unknown): KeelsonError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? `${path} does not exist (no /dev mounted, or a kernel without printk)`
      : code === "EACCES" || code === "EPERM"
        ? `permission denied opening ${path}`
        : `cannot open ${path}: ${(error as Error).message}`;
  return new KeelsonError(
    "unavailable",
    `kernel log unavailable: ${reason}`,
    "run keelsond as root or grant it CAP_SYSLOG, and set kernel.dmesg_restrict=0 if it must run unprivileged",
    { cause: error },
  );
}
