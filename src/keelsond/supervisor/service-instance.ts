import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Backoff } from "./backoff";
import { LogWriter } from "./log-writer";
import type { ExitStatus, Runner, ServiceSpec, ServiceState } from "./service-spec";

export interface ServiceStatus {
  id: string;
  state: ServiceState;
  healthy: boolean;
  healthMessage: string;
  dependsOn: readonly string[];
  restarts: number;
  pid: number;
  lastChange: Date;
  runner: string;
}

export type StatusListener = (status: ServiceStatus, why: string) => void;

/**
 * One supervised service: runs it, applies its restart policy with backoff,
 * runs its health check, and reports every transition to the listener.
 */
export class ServiceInstance {
  readonly log: LogWriter;
  private state: ServiceState = "waiting";
  private healthy = false;
  private healthMessage = "";
  private restarts = 0;
  private lastChange = new Date();
  private runner: Runner | undefined;
  private readonly stopping = new AbortController();
  private readonly backoff = new Backoff();
  private readyWaiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;
  private ended = false;

  constructor(
    readonly spec: ServiceSpec,
    logDir: string,
    private readonly listener: StatusListener,
  ) {
    this.log = new LogWriter(join(logDir, `${spec.id}.log`));
  }

  status(): ServiceStatus {
    return {
      id: this.spec.id,
      state: this.state,
      healthy: this.healthy,
      healthMessage: this.healthMessage,
      dependsOn: this.spec.dependsOn ?? [],
      restarts: this.restarts,
      pid: this.state === "running" ? (this.runner?.pid() ?? 0) : 0,
      lastChange: this.lastChange,
      runner: this.runner?.kind ?? "",
    };
  }

  /** Whether services that depend on this one may start. */
  isReady(): boolean {
    return (
      (this.state === "running" && this.healthy) ||
      (this.state === "finished" && this.spec.restart !== "forever")
    );
  }

  whenReady(): Promise<void> {
    if (this.isReady()) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  start(): void {
    this.loop ??= this.runLoop();
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    if (this.runner && this.state === "running") this.transition("stopping", "stop requested");
    await this.runner?.stop(this.spec.stopGraceMs ?? 10_000);
    await this.loop;
    // A service that ended for good keeps its final state; any other is now stopped.
    if (!this.ended) this.transition("stopped", "stopped");
    this.log.close();
  }

  private async runLoop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const exit = await this.runOnce();
      if (signal.aborted || !exit) return;
      const { ranForMs, status } = exit;
      const ok = status.code === 0;
      const why = `exited with ${status.signal ? `signal ${status.signal}` : `code ${status.code}`}`;
      if (this.spec.restart === "once" || (this.spec.restart === "until-success" && ok)) {
        this.ended = true;
        this.transition(ok ? "finished" : "failed", why);
        return;
      }
      this.transition("failed", `${why}; restarting`);
      await sleep(this.backoff.next(ranForMs), undefined, { signal }).catch(() => {});
      this.restarts++;
    }
  }

  private async runOnce(): Promise<{ ranForMs: number; status: ExitStatus } | undefined> {
    this.transition("preparing", "starting");
    const runner = this.spec.runner();
    this.runner = runner;
    try {
      await runner.start(this.log);
    } catch (error) {
      this.log.line(`start failed: ${String(error)}`);
      return { ranForMs: 0, status: { code: 1, signal: null } };
    }
    const started = Date.now();
    this.healthy = !this.spec.health;
    this.transition(
      "running",
      `started (${runner.kind}${runner.kind === "process" ? ` pid ${runner.pid()}` : ""})`,
    );
    const health = this.watchHealth();
    const status = await runner.wait();
    health.abort();
    this.healthy = false;
    return { ranForMs: Date.now() - started, status };
  }

  private watchHealth(): AbortController {
    const control = new AbortController();
    const check = this.spec.health;
    if (!check) return control;
    void (async () => {
      while (!control.signal.aborted) {
        const timeout = AbortSignal.any([control.signal, AbortSignal.timeout(check.timeoutMs)]);
        const result = await check.check(timeout).then(
          () => "",
          (error: unknown) =>
            (error instanceof Error ? error.message : String(error)) || "unhealthy",
        );
        if (control.signal.aborted) return;
        this.setHealth(result === "", result);
        await sleep(check.intervalMs, undefined, { signal: control.signal }).catch(() => {});
      }
    })();
    return control;
  }

  private setHealth(healthy: boolean, message: string): void {
    if (healthy === this.healthy && message === this.healthMessage) return;
    this.healthy = healthy;
    this.healthMessage = message;
    this.transition(this.state, healthy ? "healthy" : `unhealthy: ${message}`);
  }

  private transition(state: ServiceState, why: string): void {
    this.state = state;
    this.lastChange = new Date();
    this.listener(this.status(), why);
    if (this.isReady()) {
      for (const resolve of this.readyWaiters.splice(0)) resolve();
    }
  }
}
