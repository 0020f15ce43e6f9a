import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { KeelsonError } from "../../../machinery/errors";
import { type LogWriter, ProcessRunner } from "../../supervisor";
import type { ExitStatus, Runner } from "../../supervisor/service-spec";
import { type ContainerdConfigOptions, containerdConfig } from "./containerd-config";
import type { ContainerdPaths } from "./containerd-paths";
import { containerdBinary, searchPath } from "./runtime-availability";

/**
 * Runs containerd as a child process with a config written fresh on every
 * start, so the config always matches this agent's paths. Its shims run in
 * their own process groups: stopping or losing containerd leaves running
 * containers alone, and the next containerd picks them up again.
 */
export class ContainerdRunner implements Runner {
  readonly kind = "process";
  private readonly process: ProcessRunner;

  constructor(
    private readonly paths: ContainerdPaths,
    private readonly options: ContainerdConfigOptions = {},
  ) {
    this.process = new ProcessRunner({
      command: containerdBinary,
      args: ["--config", paths.config],
      env: { PATH: searchPath().join(":") },
    });
  }

  async start(log: LogWriter): Promise<void> {
    for (const dir of [this.paths.root, this.paths.state, this.paths.logs]) {
      mkdirSync(dir, { recursive: true, mode: 0o711 });
    }
    mkdirSync(dirname(this.paths.socket), { recursive: true, mode: 0o711 });
    writeFileSync(this.paths.config, containerdConfig(this.paths, this.options));
    await this.process.start(log);
  }

  wait(): Promise<ExitStatus> {
    return this.process.wait();
  }

  stop(graceMs: number): Promise<void> {
    return this.process.stop(graceMs);
  }

  pid(): number {
    return this.process.pid();
  }
}

/** Stands in for containerd where it cannot run, failing at once with the reason. */
export class UnavailableRunner implements Runner {
  readonly kind = "process";
  constructor(private readonly reason: string) {}

  start(): Promise<void> {
    return Promise.reject(new KeelsonError("unavailable", this.reason));
  }

  wait(): Promise<ExitStatus> {
    return Promise.resolve({ code: 1, signal: null });
  }

  async stop(): Promise<void> {}

  pid(): number {
    return 0;
  }
}
