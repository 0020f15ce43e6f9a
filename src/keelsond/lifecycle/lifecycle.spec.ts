import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { eventually } from "../../testing/eventually";
import { EventLog } from "../events";
import { ProcessRunner, Supervisor } from "../supervisor";
import { Lifecycle, type LifecycleOptions } from "./lifecycle";
import type { Power } from "./power";

/** The power seam, recording what the node was told to do. */
function recordingPower() {
  const calls: string[] = [];
  const power: Power = {
    reboot: () => void calls.push("reboot"),
    poweroff: () => void calls.push("poweroff"),
  };
  return { power, calls };
}

function node(script: string, options: LifecycleOptions = {}, stopGraceMs = 200) {
  const dir = mkdtempSync(join(tmpdir(), "keelson-lifecycle-"));
  const supervisor = new Supervisor(
    [
      {
        id: "svc",
        restart: "forever",
        stopGraceMs,
        runner: () => new ProcessRunner({ command: "sh", args: ["-c", script] }),
      },
    ],
    dir,
    () => {},
  );
  const events = new EventLog(join(dir, "events.jsonl"));
  const { power, calls } = recordingPower();
  const console: string[] = [];
  const lifecycle = new Lifecycle(supervisor, events, power, {
    console: (line) => console.push(line),
    ...options,
  });
  supervisor.start();
  return { supervisor, events, lifecycle, calls, console, dir };
}

const reboot = { action: "reboot", actor: "test", reason: "asked" } as const;

describe("Lifecycle", () => {
  it("answers a storm of 100 reboot requests with the one in flight and reboots once", async () => {
    const { lifecycle, calls, events } = node("exec sleep 600");
    const answers = Array.from({ length: 100 }, () => lifecycle.request(reboot));
    assert.equal(answers.filter((a) => !a.joined).length, 1);
    assert.ok(answers.every((a) => a.inFlight === answers[0]?.inFlight));
    await eventually("the reboot", () => calls.length > 0);
    assert.deepEqual(calls, ["reboot"]);
    assert.equal(events.recent().filter((e) => e.kind === "action").length, 1);
  });

  it("turns a reboot into a shutdown when a shutdown is asked during it, never the reverse", async () => {
    const { lifecycle, calls } = node("exec sleep 600");
    lifecycle.request(reboot);
    const { inFlight, joined } = lifecycle.request({ ...reboot, action: "shutdown" });
    assert.equal(joined, true);
    assert.equal(inFlight.action, "shutdown");
    assert.equal(inFlight.wasReboot, true);
    assert.equal(lifecycle.request(reboot).inFlight.action, "shutdown");
    await eventually("the power-off", () => calls.length > 0);
    assert.deepEqual(calls, ["poweroff"]);
  });

  it("powers off anyway when the deadline passes, and says so on the console and in the event log", async () => {
    const { lifecycle, calls, console, dir, supervisor } = node(
      "trap '' TERM; sleep 600",
      { deadlineMs: 300 },
      60_000,
    );
    const pid = await eventually("running", () => supervisor.get("svc").status().pid);
    lifecycle.request(reboot);
    await eventually("the reboot", () => calls.length > 0);
    assert.deepEqual(calls, ["reboot"]);
    assert.match(
      console.join("\n"),
      /reboot deadline of 0.3 s passed with svc \(stopping\) not stopped; powering off anyway/,
    );
    // What the next boot shows: the event log read back from disk.
    const next = new EventLog(join(dir, "events.jsonl"));
    assert.ok(next.recent().some((e) => /deadline .* passed/.test(e.message)));
    // On a node the power action ends it; here the test does.
    process.kill(-pid, "SIGKILL");
  });

  it("waits for pending work (a configuration being applied) before stopping services", async () => {
    let finish!: () => void;
    const pending = new Promise<void>((resolve) => (finish = resolve));
    let quiescing = false;
    const quiesce = () => {
      quiescing = true;
      return pending;
    };
    const { lifecycle, calls, supervisor } = node("exec sleep 600", { quiesce });
    await eventually("running", () => supervisor.get("svc").status().state === "running");
    lifecycle.request(reboot);
    await eventually("the pending work awaited", () => quiescing);
    assert.equal(supervisor.get("svc").status().state, "running");
    assert.deepEqual(calls, []);
    finish();
    await eventually("the reboot", () => calls.length > 0);
    assert.equal(supervisor.get("svc").status().state, "stopped");
  });

  it("kills services at once when forced", async () => {
    const { lifecycle, calls, supervisor } = node("trap '' TERM; sleep 600", {}, 60_000);
    await eventually("running", () => supervisor.get("svc").status().state === "running");
    const started = Date.now();
    lifecycle.request({ ...reboot, force: true });
    await eventually("the reboot", () => calls.length > 0);
    assert.ok(Date.now() - started < 10_000, "did not wait out the 60 s grace");
  });
});
