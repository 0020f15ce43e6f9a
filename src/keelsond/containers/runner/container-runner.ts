import { setTimeout as sleep } from "node:timers/promises";
import { KeelsonError } from "../../../machinery/errors";
import type { LogWriter } from "../../supervisor";
import type { ExitStatus, Runner } from "../../supervisor/service-spec";
import type { Containerd } from "../containerd/containerd";
import { unless } from "../containerd/error-checks";
import { systemNamespace } from "../containerd/namespaces";
import {
  acrossRestart,
  containerLogPath,
  createContainer,
  killTask,
  type ProcessSpec,
  removeContainer,
  startTask,
  toExitStatus,
  waitTask,
} from "../runtime";
import { LogPump } from "./log-pump";

export interface ContainerRunnerOptions extends ProcessSpec {
  client: Containerd;
  /** Container id; the service id is a good one. */
  id: string;
  image: string;
  /** containerd's log dir (ContainerdPaths.logs); the container's own log file lives under it. */
  logsDir: string;
  namespace?: string;
  /** Makes sure the image is in containerd before each start (the OS imports its own images). */
  ensureImage?: (client: Containerd, namespace: string) => Promise<void>;
}

/**
 * Runs a service as a container (namespace `system` by default): every start
 * creates a fresh container and task from the image, and the container is
 * deleted once its task ends, so a restart never meets a stale one.
 */
export class ContainerRunner implements Runner {
  readonly kind = "container";
  private readonly namespace: string;
  private taskPid = 0;
  private created = false;
  private exited: Promise<ExitStatus> | undefined;
  private forceExit: ((status: ExitStatus) => void) | undefined;
  private pump: LogPump | undefined;
  private log: LogWriter | undefined;

  constructor(private readonly options: ContainerRunnerOptions) {
    this.namespace = options.namespace ?? systemNamespace;
  }

  async start(log: LogWriter, signal: AbortSignal): Promise<void> {
    const { client: cd, id } = this.options;
    this.log = log;
    const ns = this.namespace;
    await this.removeLeftover();
    signal.throwIfAborted();
    await this.options.ensureImage?.(cd, ns);
    signal.throwIfAborted();
    await createContainer(cd, ns, this.options);
    this.created = true;
    const logPath = containerLogPath(this.options.logsDir, ns, id);
    this.pump = new LogPump(logPath, await LogPump.endOf(logPath), (chunk) => log.write(chunk));
    this.pump.start();
    try {
      signal.throwIfAborted();
      this.taskPid = await startTask(cd, ns, id, logPath);
    } catch (error) {
      await this.removeCreated();
      throw error;
    }
    log.line(`container ${ns}/${id} started from ${this.options.image} (pid ${this.taskPid})`);
    this.exited = this.watchExit(log);
  }

  wait(): Promise<ExitStatus> {
    if (!this.exited) throw new KeelsonError("failedPrecondition", "container was not started");
    return this.exited;
  }

  /** SIGTERM, then SIGKILL after the grace period; gives up on an unreachable containerd. */
  async stop(graceMs: number): Promise<void> {
    if (!this.exited) return this.removeCreated();
    const { client: cd, id } = this.options;
    const ended = this.exited.then(() => true);
    await killTask(cd, this.namespace, id, "SIGTERM").catch(() => {});
    if (await Promise.race([ended, sleep(graceMs).then(() => false)])) return;
    await killTask(cd, this.namespace, id, "SIGKILL").catch(() => {});
    if (await Promise.race([ended, sleep(cd.deadlineMs).then(() => false)])) return;
    // containerd cannot be reached: report the service stopped rather than hang the supervisor.
    await this.pump?.stop();
    this.forceExit?.({ code: null, signal: "SIGKILL" });
  }

  pid(): number {
    return this.taskPid;
  }

  private watchExit(log: LogWriter): Promise<ExitStatus> {
    const { client: cd, id } = this.options;
    const forced = new Promise<ExitStatus>((resolve) => (this.forceExit = resolve));
    const waited = waitTask(cd, this.namespace, id).then(
      async (status) => {
        await this.remove();
        return toExitStatus(status);
      },
      (error: unknown) => {
        log.line(`lost track of container ${id}: ${String(error)}`);
        return { code: 1, signal: null };
      },
    );
    return Promise.race([waited, forced]);
  }

  /** Undoes a start that failed or was cancelled after the container was created. */
  private async removeCreated(): Promise<void> {
    if (!this.created) return;
    this.created = false;
    await this.remove();
  }

  /** Removes this run's container; what is still there after it is a leftover the next start removes. */
  private async remove(): Promise<void> {
    await this.pump?.stop();
    await this.removeContainer().catch((error: unknown) => {
      const e = KeelsonError.from(error);
      if (e.code !== "notFound")
        this.log?.line(
          `container ${this.namespace}/${this.options.id} stays until the next start: ${e.message}`,
        );
    });
  }

  /** What an earlier run or a crashed agent left of this id: a container, or only its snapshot. */
  private async removeLeftover(): Promise<void> {
    await unless("notFound", this.removeContainer());
  }

  /** Task, container and snapshot, waiting out a containerd restart for a while. */
  private removeContainer(): Promise<void> {
    const { client: cd, id } = this.options;
    const deadline = AbortSignal.timeout(2 * cd.deadlineMs);
    return acrossRestart(() => removeContainer(cd, this.namespace, id), deadline);
  }
}
