import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { KeelsonError } from "../../../machinery/errors";

const run = promisify(execFile);

/**
 * Runs iproute2's `ip` with JSON output, for the facts /proc and /sys do not
 * carry (IPv4 addresses). Missing `ip` is reported as unavailable with a fix,
 * not as a bare spawn ENOENT.
 */
export async function ipJson(args: readonly string[], command = "ip"): Promise<string> {
  try {
    const { stdout } = await run(command, ["-j", ...args], {
      timeout: 10_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    throw ipFailure(args, error);
  }
}

function ipFailure(args: readonly string[], error: unknown): KeelsonError {
  const command = `ip -j ${args.join(" ")}`;
  if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    return new KeelsonError(
      "unavailable",
      `cannot run \`${command}\`: the ip command (iproute2) is not installed or not on PATH`,
      "install iproute2 on the host, or add its directory to keelsond's PATH",
      { cause: error },
    );
  }
  const detail = (error as { stderr?: string }).stderr?.trim() || (error as Error).message;
  return new KeelsonError("internal", `\`${command}\` failed: ${detail}`, undefined, {
    cause: error,
  });
}
