import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { KeelsonError } from "../errors";
import { parseMountinfo } from "./parse/parse-mountinfo";

/**
 * Lazily unmounts everything mounted below `dir`, deepest first: a
 * container's rootfs overlay can outlive its runtime, and removing the state
 * dir under it fails with EBUSY.
 */
export function unmountUnder(dir: string): void {
  const targets = parseMountinfo(readFileSync("/proc/self/mountinfo", "utf8"))
    .map((m) => m.target)
    .filter((target) => target.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const target of targets) {
    try {
      execFileSync("umount", ["-l", target], { stdio: ["ignore", "ignore", "pipe"] });
    } catch (error) {
      throw new KeelsonError(
        "failedPrecondition",
        `cannot unmount ${target}: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`,
        "it was mounted by a node's container runtime; unmount it as root",
      );
    }
  }
}
