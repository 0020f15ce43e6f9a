import { readFile } from "node:fs/promises";
import { KeelsonError } from "../../../machinery/errors";

/** Reads a /proc or /sys file that must exist; failures become KeelsonErrors. */
export async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw KeelsonError.from(error);
  }
}

/**
 * Reads an optional sysfs attribute, trimmed. Drivers omit attributes or fail
 * reading them (EIO, EINVAL) for reasons that should not sink the whole reply.
 */
export async function readAttribute(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, "utf8")).trim();
  } catch {
    return undefined;
  }
}

/** An attribute holding a number; undefined when absent or not a number. */
export async function readNumberAttribute(path: string): Promise<number | undefined> {
  const text = await readAttribute(path);
  return text !== undefined && /^-?\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** A 64-bit counter attribute (statistics/rx_bytes); zero when absent. */
export async function readCounterAttribute(path: string): Promise<bigint> {
  const text = await readAttribute(path);
  return text !== undefined && /^\d{1,20}$/.test(text) ? BigInt(text) : 0n;
}

/** Whether an error means the thing went away while we looked (a process exited, a link was deleted). */
export function isGone(error: unknown): boolean {
  const errno = error instanceof KeelsonError ? error.cause : error;
  const code = (errno as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ESRCH" || code === "ENODEV";
}
