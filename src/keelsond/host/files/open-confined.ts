import { constants } from "node:fs";
import { type FileHandle, open, readlink } from "node:fs/promises";
import { KeelsonError } from "../../../machinery/errors";
import type { PathPolicy } from "./path-policy";

/**
 * O_PATH from linux/fcntl.h (fs.constants lacks it); the same value on
 * x86_64 and arm64. An O_PATH descriptor pins a file without opening it, so
 * devices and FIFOs can be inspected without side effects.
 */
export const O_PATH = 0o10000000;

/**
 * Pins `fsPath` with an O_PATH descriptor and proves the pinned file is inside
 * the roots. Checking a path and then using it races with anyone swapping a
 * directory for a symlink in between; O_NOFOLLOW covers the last component,
 * and reading back /proc/self/fd/<fd> (what the kernel actually pinned) the
 * rest. Everything after works on the descriptor, never on the path again.
 * `shown` is the path the client named, for errors.
 */
export async function pinConfined(
  fsPath: string,
  shown: string,
  policy: PathPolicy,
  extraFlags = 0,
): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(fsPath, O_PATH | constants.O_NOFOLLOW | extraFlags);
  } catch (error) {
    throw pinFailure(shown, error);
  }
  try {
    if (!(await policy.admits(await readlink(descriptorPath(handle))))) throw policy.denied(shown);
    return handle;
  } catch (error) {
    await handle.close();
    throw KeelsonError.from(error);
  }
}

/** The magic link through which the kernel reaches exactly the pinned file. */
export function descriptorPath(handle: FileHandle): string {
  return `/proc/self/fd/${handle.fd}`;
}

function pinFailure(shown: string, error: unknown): KeelsonError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new KeelsonError("notFound", `${JSON.stringify(shown)} does not exist`);
  }
  return KeelsonError.from(error);
}
