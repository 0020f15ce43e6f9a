import type { LogWriter } from "../log-writer";
import type { ExitStatus, Runner } from "../service-spec";

/** A long-running task inside the agent: `run` resolves when the task is up and returns how to stop it. */
export type Task = (log: LogWriter) => Promise<{ stop(): Promise<void>; done?: Promise<void> }>;

/**
 * Runs a service inside the agent process (the API server itself, for one).
 * It has no pid of its own; a task that fails surfaces as exit code 1.
 */
export class TaskRunner implements Runner {
  readonly kind = "task";
  private handle: Awaited<ReturnType<Task>> | undefined;
  private exit!: (status: ExitStatus) => void;
  private readonly exited = new Promise<ExitStatus>((resolve) => (this.exit = resolve));

  constructor(private readonly task: Task) {}

  async start(log: LogWriter): Promise<void> {
    this.handle = await this.task(log);
    this.handle.done?.then(
      () => this.exit({ code: 0, signal: null }),
      (error: unknown) => {
        log.line(`task failed: ${String(error)}`);
        this.exit({ code: 1, signal: null });
      },
    );
  }

  wait(): Promise<ExitStatus> {
    return this.exited;
  }

  async stop(): Promise<void> {
    await this.handle?.stop();
    this.exit({ code: 0, signal: "SIGTERM" });
  }

  pid(): number {
    return process.pid;
  }
}
