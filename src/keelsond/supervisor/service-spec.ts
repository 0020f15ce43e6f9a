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
  /** Starts it; resolves once it runs. */
  start(log: LogWriter): Promise<void>;
  /** Resolves when it ends by itself or after stop(). */
  wait(): Promise<ExitStatus>;
  /** Asks it to end, forcing it after `graceMs`. */
  stop(graceMs: number): Promise<void>;
  pid(): number;
}

export interface HealthCheck {
  check(signal: AbortSignal): Promise<void>;
  intervalMs: number;
  timeoutMs: number;
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
