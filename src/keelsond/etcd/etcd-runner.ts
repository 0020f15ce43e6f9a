import { existsSync, statSync } from "node:fs";
import { KeelsonError } from "../../machinery/errors";
import { type ExitStatus, type LogWriter, ProcessRunner, type Runner } from "../supervisor";
import type { EtcdMember } from "./etcd-member";
import { failureReason } from "./failure-reason";

/**
 * One run of the etcd service. start() resolves at once: finding a cluster
 * to join may take until someone bootstraps one, and meanwhile the service
 * shows as running-but-unhealthy with the reason. Then it runs
 * /usr/bin/etcd as a child process; its exit ends the run, except when the
 * member parks it (leave), which returns it to waiting.
 */
export class EtcdRunner implements Runner {
  readonly kind = "process";
  private process: ProcessRunner | undefined;
  private parking = false;
  private graceMs = 0;
  private readonly stopping = new AbortController();
  private finish!: (status: ExitStatus) => void;
  private readonly exited = new Promise<ExitStatus>((resolve) => (this.finish = resolve));

  constructor(private readonly member: EtcdMember) {}

  async start(log: LogWriter): Promise<void> {
    if (!existsSync(this.member.binary))
      throw new KeelsonError(
        "failedPrecondition",
        `etcd is not installed: ${this.member.binary} is missing`,
        "install Debian's etcd-server package",
      );
    void this.run(log).then(this.finish, (error: unknown) => {
      const message = KeelsonError.from(error).message;
      this.member.lastFailure = message;
      log.line(`etcd did not start: ${message}`);
      this.finish({ code: 1, signal: null });
    });
  }

  wait(): Promise<ExitStatus> {
    return this.exited;
  }

  async stop(graceMs: number): Promise<void> {
    this.graceMs = graceMs;
    this.stopping.abort();
    await this.process?.stop(graceMs);
    await this.exited;
  }

  /** Stops etcd but keeps the run alive, waiting; the member decides when it may start again. */
  async park(graceMs: number): Promise<void> {
    if (!this.process) return;
    this.parking = true;
    await this.process.stop(graceMs);
  }

  pid(): number {
    return this.process?.pid() ?? 0;
  }

  private async run(log: LogWriter): Promise<ExitStatus> {
    const signal = this.stopping.signal;
    for (;;) {
      const plan = await this.member.nextStart(log, signal);
      if (!plan || signal.aborted) return { code: 0, signal: "SIGTERM" };
      const args = this.member.args(plan, log);
      log.line(`starting etcd (${plan.kind === "new" ? "new cluster" : plan.kind})`);
      const offset = existsSync(log.path) ? statSync(log.path).size : 0;
      this.process = new ProcessRunner({ command: this.member.binary, args });
      await this.process.start(log);
      // A stop that came while etcd was being spawned found no process to stop.
      if (signal.aborted) await this.process.stop(this.graceMs);
      const status = await this.process.wait();
      this.process = undefined;
      if (this.parking) {
        this.parking = false;
        continue;
      }
      if (status.code !== 0 && !signal.aborted)
        this.member.lastFailure = await failureReason(log.path, offset, status);
      return status;
    }
  }
}
