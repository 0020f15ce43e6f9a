import { accessSync, constants } from "node:fs";

export interface RuntimeAvailability {
  available: boolean;
  /** Why not, in words a user can act on; empty when available. */
  reason: string;
}

export const containerdBinary = "/usr/bin/containerd";

/**
 * Whether this agent can run containerd at all. A local cluster started
 * without root still works for everything else; its nodes report this reason.
 */
export function runtimeAvailability(uid = process.getuid?.() ?? -1): RuntimeAvailability {
  if (uid !== 0) {
    return {
      available: false,
      reason: "containerd needs root; this agent runs as an unprivileged user",
    };
  }
  const missing = [containerdBinary, "containerd-shim-runc-v2", "runc"].find((b) => !onPath(b));
  if (missing) {
    return {
      available: false,
      reason: `${missing} is not installed (Debian packages: containerd, runc)`,
    };
  }
  return { available: true, reason: "" };
}

function onPath(binary: string): boolean {
  const dirs = binary.startsWith("/") ? [""] : searchPath();
  return dirs.some((dir) => executable(dir ? `${dir}/${binary}` : binary));
}

/** containerd finds its shim on PATH and the shim finds runc there, often in /usr/sbin. */
export function searchPath(): string[] {
  const dirs = (process.env.PATH ?? "").split(":").filter(Boolean);
  for (const sbin of [
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
  ]) {
    if (!dirs.includes(sbin)) dirs.push(sbin);
  }
  return dirs;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
