import { closeSync, lstatSync, openSync, readdirSync, readSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { KeelsonError } from "../../../machinery/errors";

/** Names of shells and multi-call binaries that carry one. */
const shells = new Set([
  "sh",
  "bash",
  "dash",
  "ash",
  "zsh",
  "ksh",
  "mksh",
  "csh",
  "tcsh",
  "fish",
  "busybox",
  "toybox",
  "rbash",
]);

/**
 * Walks a root filesystem and lists its executables: ELF files the kernel
 * would run as programs (executable by mode, and an executable or a shared
 * object with an interpreter, as PIE programs are). Fails the build when anything could
 * give a person a shell: a file named like a shell, or an executable script
 * (#!), which needs one.
 */
export function inspectRoot(root: string): string[] {
  const executables: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        walk(path);
        continue;
      }
      const shown = `/${relative(root, path)}`;
      if (shells.has(basename(name)))
        throw new KeelsonError("failedPrecondition", `the root holds a shell: ${shown}`);
      if (!stat.isFile()) continue;
      const head = readAt(path, 0, 64);
      // A module the runtime reads may start with #!; only one the kernel could run is a script.
      if ((stat.mode & 0o111) !== 0 && head.subarray(0, 2).toString() === "#!")
        throw new KeelsonError(
          "failedPrecondition",
          `the root holds a script, which needs a shell: ${shown}`,
        );
      if ((stat.mode & 0o111) !== 0 && isProgram(head, path)) executables.push(shown);
    }
  };
  walk(root);
  return executables;
}

/** ET_EXEC, or ET_DYN with a PT_INTERP program header (a PIE program, not a library). */
function isProgram(head: Buffer, path: string): boolean {
  if (head.length < 64 || head.readUInt32BE(0) !== 0x7f454c46 || head[4] !== 2) return false;
  const type = head.readUInt16LE(16);
  if (type === 2) return true;
  if (type !== 3) return false;
  const phoff = Number(head.readBigUInt64LE(32));
  const phentsize = head.readUInt16LE(54);
  const phnum = head.readUInt16LE(56);
  const table = readAt(path, phoff, phentsize * phnum);
  for (let i = 0; i < phnum; i++) if (table.readUInt32LE(i * phentsize) === 3) return true;
  return false;
}

function readAt(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(length);
    return buffer.subarray(0, readSync(fd, buffer, 0, length, offset));
  } finally {
    closeSync(fd);
  }
}
