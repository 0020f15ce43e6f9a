import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { KeelsonError } from "../../../machinery/errors";
import { agentEnv, agentNodeFlags } from "../../../machinery/platform/runtime-flags";
import { distPath } from "../../dist-path";

/**
 * keelson-init (the initramfs' only program and PID 1 of the root), built
 * static from its C source with the build host's gcc, without a build ID or
 * paths of the build host in it, so the same source gives the same bytes.
 */
export function compileInit(output: string): void {
  const dir = distPath("keelson-init");
  // In a fixed order, so the same sources link to the same bytes.
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith(".c"))
    .sort()
    .map((f) => join(dir, f));
  try {
    execFileSync(
      "gcc",
      [
        "-static",
        "-Os",
        "-s",
        "-Wl,--build-id=none",
        "-ffile-prefix-map=/=",
        // The agent starts with the same Node flags and environment as on a process node.
        `-DAGENT_FLAGS=${cStrings(agentNodeFlags)}`,
        `-DAGENT_ENV=${cStrings(Object.entries(agentEnv).map(([name, value]) => `${name}=${value}`))}`,
        "-o",
        output,
        ...sources,
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new KeelsonError(
      "failedPrecondition",
      `cannot compile keelson-init: ${stderr || (error as Error).message}`,
      "the metal image needs gcc and Debian's libc6-dev (apt-get install gcc libc6-dev)",
    );
  }
}

/**
 * String literals for a C initializer list, each followed by a comma, so an
 * empty list is still valid C (JSON's escapes are C's for these plain strings).
 */
function cStrings(values: readonly string[]): string {
  return values.map((value) => `${JSON.stringify(value)},`).join("");
}
