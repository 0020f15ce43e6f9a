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

/** What stop() allows beyond the grace period for a killed service to be reaped. */
export const killAllowanceMs = 5000;

const defaultStopGraceMs = 10_000;
/** How long a service may take to pass its first health check before failures count. */
const defaultStartupMs = 30_000;

/**
 * One supervised service: runs it, applies its restart policy with backoff,
 * runs its health check, and reports every transition to the listener.
 *
 * stop() finishes whatever the service is doing: waiting, preparing (its
 * start is cancelled, and what it started is stopped), running, backing off
 * or already stopping. It never takes longer than the grace period plus
 * killAllowanceMs; a runner that still has not ended then is abandoned (the
 * power action that follows ends whatever it left).
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
  /** Aborted to end a restart's backoff early (see retryNow). */
  private wake = new AbortController();
  private readyWaiters: (() => void)[] = [];
  private loop: Promise<void> | undefined;
  private stopped: Promise<void> | undefined;
  private graceMs: number;
  private ended = false;

  constructor(
    readonly spec: ServiceSpec,
    logDir: string,
    private readonly listener: StatusListener,
  ) {
    this.log = new LogWriter(join(logDir, `${spec.id}.log`));
    this.graceMs = spec.stopGraceMs ?? defaultStopGraceMs;
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

  /** Starts the service unless a stop was requested already (a dependency came up too late). */
  start(): void {
    if (this.stopping.signal.aborted) return;
    this.loop ??= this.runLoop();
  }

  /**
   * Stops the service, whatever it is doing; calling it again joins the stop
   * under way. `graceMs` overrides the service's own grace (0: kill at once).
   */
  stop(graceMs?: number): Promise<void> {
    if (graceMs !== undefined) this.graceMs = Math.min(this.graceMs, graceMs);
    this.stopped ??= this.stopNow();
    return this.stopped;
  }

  /**
   * Restarts now a service waiting out its backoff after a failure: what it
   * was missing (an image just imported, say) may be there now. A service in
   * any other state is left as it is.
   */
  retryNow(): void {
    if (this.state === "failed") this.wake.abort();
  }

  private async stopNow(): Promise<void> {
    this.stopping.abort();
    const bound = this.graceMs + killAllowanceMs;
    const finished = this.loop
      ? await Promise.race([this.loop.then(() => true), sleep(bound).then(() => false)])
      : true;
    if (!finished) {
      this.log.line(`did not stop within ${bound} ms; abandoned to the power action`);
      this.transition("stopped", `abandoned: did not stop within ${bound} ms`);
    } else if (!this.ended) {
      // A service that ended for good keeps its final state; any other is now stopped.
      this.transition("stopped", "stopped");
    }
    this.log.close();
  }

  private async runLoop(): Promise<void> {
    const signal = this.stopping.signal;
    while (!signal.aborted) {
      const exit = await this.runOnce(signal);
      if (!exit) return;
      const { ranForMs, status } = exit;
      const ok = status.code === 0;
      const why = `exited with ${status.signal ? `signal ${status.signal}` : `code ${status.code}`}`;
      if (this.spec.restart === "once" || (this.spec.restart === "until-success" && ok)) {
        this.ended = true;
        this.transition(ok ? "finished" : "failed", why);
        return;
      }
      this.transition("failed", `${why}; restarting`);
      await sleep(this.backoff.next(ranForMs), undefined, {
        signal: AbortSignal.any([signal, this.wake.signal]),
      }).catch(() => {});
      this.wake = new AbortController();
      if (!signal.aborted) this.restarts++;
    }
  }

  /** One run; undefined when it ended because a stop was requested. */
  private async runOnce(
    signal: AbortSignal,
  ): Promise<{ ranForMs: number; status: ExitStatus } | undefined> {
    this.transition("preparing", "starting");
    const runner = this.spec.runner();
    this.runner = runner;
    try {
      await runner.start(this.log, signal);
    } catch (error) {
      if (signal.aborted) {
        this.log.line(`start cancelled: stop requested (${String(error)})`);
        await this.stopRunner(runner, "start cancelled");
        return undefined;
      }
      this.log.line(`start failed: ${String(error)}`);
      return { ranForMs: 0, status: { code: 1, signal: null } };
    }
    if (signal.aborted) {
      await this.stopRunner(runner, "started after a stop was requested; stopping it");
      return undefined;
    }
    const started = Date.now();
    this.healthy = !this.spec.health;
    this.transition(
      "running",
      `started (${runner.kind}${runner.kind === "process" ? ` pid ${runner.pid()}` : ""})`,
    );
    const health = this.watchHealth();
    const exited = runner.wait();
    const outcome = await Promise.race([exited, aborted(signal)]);
    health.abort();
    this.healthy = false;
    if (outcome === "aborted") {
      await this.stopRunner(runner, "stop requested");
      return undefined;
    }
    return { ranForMs: Date.now() - started, status: outcome };
  }

  private async stopRunner(runner: Runner, why: string): Promise<void> {
    this.transition("stopping", why);
    await runner.stop(this.graceMs).catch((error: unknown) => {
      this.log.line(`stop failed: ${String(error)}`);
    });
  }

  private watchHealth(): AbortController {
    const control = new AbortController();
    const check = this.spec.health;
    if (!check) return control;
    void (async () => {
      // Until it is first healthy, look again soon: dependents and readiness wait on it.
      let soon = 100;
      let everHealthy = false;
      const started = Date.now();
      const startupMs = check.startupMs ?? defaultStartupMs;
      while (!control.signal.aborted) {
        const timeout = AbortSignal.any([control.signal, AbortSignal.timeout(check.timeoutMs)]);
        const result = await check.check(timeout).then(
          () => "",
          (error: unknown) =>
            (error instanceof Error ? error.message : String(error)) || "unhealthy",
        );
        if (control.signal.aborted) return;
        everHealthy ||= result === "";
        // A service still starting up is not yet healthy, not unhealthy: say why, but record no failure.
        if (!everHealthy && Date.now() - started < startupMs) this.healthMessage = result;
        else this.setHealth(result === "", result);
        const delay = this.healthy ? check.intervalMs : Math.min(check.intervalMs, soon);
        soon *= 2;
        await sleep(delay, undefined, { signal: control.signal }).catch(() => {});
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

function aborted(signal: AbortSignal): Promise<"aborted"> {
  if (signal.aborted) return Promise.resolve("aborted");
  return new Promise((resolve) =>
    signal.addEventListener("abort", () => resolve("aborted"), { once: true }),
  );
}
