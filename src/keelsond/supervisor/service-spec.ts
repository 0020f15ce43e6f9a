import type { LogWriter } from "./log-writer";

/**
 * forever: restart whatever the exit (daemons). once: run one time.
 * until-success: restart after failures, stop after the first clean exit (setup steps).
 */
export type RestartPolicy = "forever" | "once" | "until-success";

export type ServiceState =
  | "waiting"
  | "preparing"
  | "running"
  | "finished"
  | "failed"
  | "stopping"
  | "stopped";

export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

/** One run of a service: a process, a container or a task inside the agent. */
export interface Runner {
  readonly kind: string;
  /**
   * Starts it; resolves once it runs. When `signal` aborts, a start still in
   * progress gives up as soon as it can and removes what it created.
   */
  start(log: LogWriter, signal: AbortSignal): Promise<void>;
  /** Resolves when it ends by itself or after stop(). */
  wait(): Promise<ExitStatus>;
  /**
   * Ends it, forcing it after `graceMs`; also cleans up after a start that
   * failed or was cancelled half-way. Safe to call at any moment.
   */
  stop(graceMs: number): Promise<void>;
  pid(): number;
}

export interface HealthCheck {
  check(signal: AbortSignal): Promise<void>;
  intervalMs: number;
  timeoutMs: number;
  /**
   * How long after each start failed checks mean "not healthy yet" rather
   * than "unhealthy" (no failure recorded), until the first one passes.
   */
  startupMs?: number;
}

export interface ServiceSpec {
  id: string;
  dependsOn?: readonly string[];
  restart: RestartPolicy;
  /** A new runner for every (re)start. */
  runner: () => Runner;
  health?: HealthCheck;
  /** How long stop() waits before it kills. */
  stopGraceMs?: number;
}
