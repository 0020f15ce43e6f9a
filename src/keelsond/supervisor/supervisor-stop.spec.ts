import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { processAlive as alive } from "../../machinery/linux/process-alive";
import { eventually } from "../../testing/eventually";
import type { LogWriter } from "./log-writer";
import { ProcessRunner } from "./runners/process-runner";
import { killAllowanceMs } from "./service-instance";
import type { ExitStatus, Runner, ServiceSpec, ServiceState } from "./service-spec";
import { Supervisor } from "./supervisor";

/** A real process whose start is held until `release` is called: the window a reboot can land in. */
class HeldStart implements Runner {
  readonly kind = "process";
  readonly process = new ProcessRunner({ command: "sleep", args: ["600"] });
  release!: () => void;
  readonly held = new Promise<void>((resolve) => (this.release = resolve));
  startCalled = false;

  constructor(private readonly honoursCancel: boolean) {}

  async start(log: LogWriter, signal: AbortSignal): Promise<void> {
    this.startCalled = true;
    const cancelled = new Promise<void>((_, reject) =>
      signal.addEventListener("abort", () => this.honoursCancel && reject(new Error("cancelled"))),
    );
    await Promise.race([this.held, cancelled]);
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

/** A start that never settles and ignores cancellation: only the stop bound ends it. */
class HungStart implements Runner {
  readonly kind = "task";
  start(): Promise<void> {
    return new Promise(() => {});
  }
  wait(): Promise<ExitStatus> {
    return new Promise(() => {});
  }
  async stop(): Promise<void> {}
  pid(): number {
    return 0;
  }
}

function harness(specs: ServiceSpec[]) {
  const dir = mkdtempSync(join(tmpdir(), "keelson-stop-"));
  const states: string[] = [];
  const supervisor = new Supervisor(specs, dir, (s) => states.push(`${s.id}:${s.state}`));
  const state = (id: string): ServiceState => supervisor.get(id).status().state;
  return { supervisor, states, state };
}

describe("Supervisor.stop finishes whatever the services are doing", () => {
  it("stops a service whose start completes after the stop began (the hung-reboot case)", async () => {
    const runner = new HeldStart(false);
    const { supervisor, state } = harness([
      { id: "healthd", restart: "forever", stopGraceMs: 500, runner: () => runner },
    ]);
    supervisor.start();
    await eventually(
      "healthd preparing",
      () => runner.startCalled && state("healthd") === "preparing",
    );
    const stopped = supervisor.stop();
    runner.release();
    await stopped;
    assert.equal(state("healthd"), "stopped");
    assert.ok(runner.pid() > 0, "the held start went on to spawn its process");
    assert.equal(alive(runner.pid()), false, "the process that started late was stopped");
  });

  it("cancels a start in progress when the runner honours its signal", async () => {
    const runner = new HeldStart(true);
    const { supervisor, state } = harness([
      { id: "svc", restart: "forever", runner: () => runner },
    ]);
    supervisor.start();
    await eventually("svc preparing", () => runner.startCalled);
    await supervisor.stop();
    assert.equal(state("svc"), "stopped");
    assert.equal(runner.pid(), 0, "nothing was spawned");
  });

  it("abandons a start that never settles after the grace plus the kill allowance", async () => {
    const { supervisor, state } = harness([
      { id: "hung", restart: "forever", stopGraceMs: 100, runner: () => new HungStart() },
    ]);
    supervisor.start();
    await eventually("hung preparing", () => state("hung") === "preparing");
    const started = Date.now();
    await supervisor.stop();
    const took = Date.now() - started;
    assert.equal(state("hung"), "stopped");
    assert.ok(took >= 100 + killAllowanceMs - 50, `waited the bound (${took} ms)`);
  });

  it("stops a crashing service while it backs off, without another restart", async () => {
    const { supervisor, state, states } = harness([
      {
        id: "crashy",
        restart: "forever",
        runner: () => new ProcessRunner({ command: "sh", args: ["-c", "exit 3"] }),
      },
    ]);
    supervisor.start();
    await eventually("a restart", () => supervisor.get("crashy").status().restarts >= 2);
    await eventually("backing off", () => state("crashy") === "failed");
    const restarts = supervisor.get("crashy").status().restarts;
    await supervisor.stop();
    assert.equal(state("crashy"), "stopped");
    assert.equal(supervisor.get("crashy").status().restarts, restarts);
    assert.equal(states.at(-1), "crashy:stopped");
  });

  it("never starts a dependent whose dependency becomes ready after the stop", async () => {
    let healthy = false;
    let checks = 0;
    const { supervisor, state, states } = harness([
      {
        id: "app",
        dependsOn: ["db"],
        restart: "forever",
        runner: () => new ProcessRunner({ command: "sleep", args: ["600"] }),
      },
      {
        id: "db",
        restart: "forever",
        stopGraceMs: 2000,
        runner: () => new ProcessRunner({ command: "sleep", args: ["600"] }),
        health: {
          intervalMs: 10,
          timeoutMs: 1000,
          check: async () => {
            checks++;
            if (!healthy) throw new Error("not yet");
          },
        },
      },
    ]);
    supervisor.start();
    await eventually("db checked", () => checks >= 2);
    const stopped = supervisor.stop();
    healthy = true;
    await stopped;
    assert.equal(state("app"), "stopped");
    assert.ok(!states.includes("app:preparing"), "app never started");
  });

  it("joins a stop already under way", async () => {
    const { supervisor, state } = harness([
      {
        id: "svc",
        restart: "forever",
        stopGraceMs: 300,
        runner: () => new ProcessRunner({ command: "sh", args: ["-c", "trap '' TERM; sleep 600"] }),
      },
    ]);
    supervisor.start();
    await eventually("running", () => state("svc") === "running");
    await Promise.all([supervisor.stop(), supervisor.stop(), supervisor.stop({ graceMs: 0 })]);
    assert.equal(state("svc"), "stopped");
  });
});
