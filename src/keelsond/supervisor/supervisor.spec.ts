import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { eventually } from "../../testing/eventually";
import { ProcessRunner } from "./runners/process-runner";
import type { ServiceStatus } from "./service-instance";
import type { ServiceSpec } from "./service-spec";
import { Supervisor } from "./supervisor";

const sh = (script: string) => () => new ProcessRunner({ command: "sh", args: ["-c", script] });

function harness(specs: ServiceSpec[]) {
  const dir = mkdtempSync(join(tmpdir(), "keelson-sup-"));
  const transitions: string[] = [];
  const supervisor = new Supervisor(specs, dir, (s: ServiceStatus, why) =>
    transitions.push(`${s.id}:${s.state}:${why}`),
  );
  return { dir, supervisor, transitions };
}

const until = (check: () => boolean, what: string) => eventually(what, check);

describe("Supervisor", () => {
  it("starts in dependency order, stops in reverse, and captures each service's output", async () => {
    const { dir, supervisor, transitions } = harness([
      {
        id: "app",
        dependsOn: ["db"],
        restart: "forever",
        runner: sh("echo app up; exec sleep 60"),
      },
      { id: "db", restart: "forever", runner: sh("echo db up; exec sleep 60") },
    ]);
    supervisor.start();
    await until(() => supervisor.list().every((s) => s.state === "running"), "both running");
    const running = transitions.filter((t) => t.includes(":running:started"));
    assert.deepEqual(
      running.map((t) => t.split(":")[0]),
      ["db", "app"],
    );
    assert.ok(supervisor.get("db").status().pid > 0);
    await supervisor.stop();
    const stopped = transitions.filter((t) => t.includes(":stopped:")).map((t) => t.split(":")[0]);
    assert.deepEqual(stopped, ["app", "db"]);
    await until(() => readFileSync(join(dir, "db.log"), "utf8").includes("db up"), "db log");
    assert.match(readFileSync(join(dir, "app.log"), "utf8"), /^\S+Z app up$/m);
  });

  it("restarts a crashing 'forever' service with backoff and counts restarts", async () => {
    const { supervisor } = harness([{ id: "crashy", restart: "forever", runner: sh("exit 3") }]);
    supervisor.start();
    await until(() => supervisor.get("crashy").status().restarts >= 3, "three restarts");
    await supervisor.stop();
    assert.equal(supervisor.get("crashy").status().state, "stopped");
  });

  it("restarts a failed service at once when told what it lacked has come, not after its backoff", async () => {
    const arrived = join(mkdtempSync(join(tmpdir(), "keelson-sup-")), "arrived");
    const { supervisor } = harness([
      {
        id: "needs-file",
        restart: "forever",
        runner: sh(`test -e ${arrived} || exit 3; exec sleep 60`),
      },
    ]);
    supervisor.start();
    // Six failures in, the backoff before the next try is 6.4 s.
    await until(() => supervisor.get("needs-file").status().restarts >= 6, "six restarts");
    writeFileSync(arrived, "");
    supervisor.retryFailed();
    await eventually(
      "running well before the backoff ends",
      () => supervisor.get("needs-file").status().state === "running",
      { timeoutMs: 3000 },
    );
    await supervisor.stop();
  });

  it("runs 'once' a single time and 'until-success' until it exits 0", async () => {
    const { dir, supervisor } = harness([
      { id: "once", restart: "once", runner: sh("exit 1") },
      // Fails twice, then succeeds: state survives restarts in a counter file.
      {
        id: "setup",
        restart: "until-success",
        runner: () =>
          new ProcessRunner({
            command: "sh",
            args: ["-c", 'n=$(cat c 2>/dev/null || echo 0); echo $((n+1)) > c; [ "$n" -ge 2 ]'],
            cwd: dir,
          }),
      },
    ]);
    supervisor.start();
    await until(() => supervisor.get("setup").status().state === "finished", "setup finished");
    await until(() => supervisor.get("once").status().state === "failed", "once failed");
    assert.equal(supervisor.get("setup").status().restarts, 2);
    assert.equal(supervisor.get("once").status().restarts, 0);
    await supervisor.stop();
  });

  it("holds dependents until the dependency's health check passes", async () => {
    let healthy = false;
    let checks = 0;
    const { supervisor } = harness([
      { id: "web", dependsOn: ["api"], restart: "forever", runner: sh("exec sleep 60") },
      {
        id: "api",
        restart: "forever",
        runner: sh("exec sleep 60"),
        health: {
          intervalMs: 20,
          timeoutMs: 1000,
          check: async () => {
            checks++;
            assert.ok(healthy, "not yet");
          },
        },
      },
    ]);
    supervisor.start();
    await until(() => checks >= 5, "five failed health checks");
    assert.equal(supervisor.get("web").status().state, "waiting");
    assert.equal(supervisor.get("api").status().healthy, false);
    healthy = true;
    await until(() => supervisor.get("web").status().state === "running", "web running");
    await supervisor.stop();
  });

  it("kills a service that ignores SIGTERM after its grace period", async () => {
    const { dir, supervisor } = harness([
      {
        id: "stubborn",
        restart: "forever",
        stopGraceMs: 200,
        runner: sh("trap '' TERM; echo trapped; while :; do sleep 0.05; done"),
      },
    ]);
    supervisor.start();
    await until(() => supervisor.get("stubborn").status().state === "running", "running");
    const pid = supervisor.get("stubborn").status().pid;
    const log = join(dir, "stubborn.log");
    await until(() => readFileSync(log, "utf8").includes("trapped"), "the TERM trap set");
    await supervisor.stop();
    assert.throws(() => process.kill(pid, 0));
  });

  it("rejects unknown dependencies and cycles with the services named", () => {
    assert.throws(
      () => harness([{ id: "a", dependsOn: ["b"], restart: "once", runner: sh("true") }]),
      /a depends on unknown service b/,
    );
    assert.throws(
      () =>
        harness([
          { id: "a", dependsOn: ["b"], restart: "once", runner: sh("true") },
          { id: "b", dependsOn: ["a"], restart: "once", runner: sh("true") },
        ]),
      /cycle: a → b → a/,
    );
  });
});
