import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { KeelsonError } from "../../../machinery/errors";
import type { LogWriter } from "../log-writer";
import type { ExitStatus, Runner } from "../service-spec";

export interface ProcessOptions {
  command: string;
  args?: readonly string[];
  env?: Record<string, string>;
  cwd?: string;
}

/**
 * Runs a service as a real child process in its own process group, so stop()
 * reaches every process it forked; its stdout and stderr go to the service log.
 */
export class ProcessRunner implements Runner {
  readonly kind = "process";
  private child: ChildProcess | undefined;
  private exited: Promise<ExitStatus> | undefined;

  constructor(private readonly options: ProcessOptions) {}

  async start(log: LogWriter): Promise<void> {
    const child = spawn(this.options.command, this.options.args ?? [], {
      cwd: this.options.cwd,
      env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin", ...this.options.env },
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once("close", (code, signal) => resolve({ code, signal })),
    );
    child.stdout?.on("data", (chunk: Buffer) => log.write(chunk));
    child.stderr?.on("data", (chunk: Buffer) => log.write(chunk));
    await Promise.race([
      once(child, "spawn"),
      once(child, "error").then(([error]) => Promise.reject(error)),
    ]).catch((error: unknown) => {
      throw new KeelsonError(
        "failedPrecondition",
        `cannot start ${this.options.command}: ${String(error)}`,
      );
    });
  }

  wait(): Promise<ExitStatus> {
    if (!this.exited) throw new KeelsonError("failedPrecondition", "process was not started");
    return this.exited;
  }

  async stop(graceMs: number): Promise<void> {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child.pid, "SIGTERM");
    const timer = setTimeout(() => signalGroup(child.pid ?? 0, "SIGKILL"), graceMs);
    await this.wait();
    clearTimeout(timer);
  }

  pid(): number {
    return this.child?.pid ?? 0;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone: nothing left to stop.
  }
}
