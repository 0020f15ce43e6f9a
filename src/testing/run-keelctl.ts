import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { distPath } from "../provisioners/dist-path";

const run = promisify(execFile);

export interface KeelctlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bundled keelctl as a user would; a failing exit is a result, not a throw. */
export async function runKeelctl(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<KeelctlResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [distPath("keelctl.mjs"), ...args], {
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
