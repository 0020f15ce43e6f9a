import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connectMachine } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import { clusterDir } from "../../machinery/platform/keelson-home";
import { eventually } from "../../testing/eventually";
import { runKeelctl } from "../../testing/run-keelctl";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";
import { treeSnapshot } from "../../testing/tree-snapshot";
import { distPath } from "../dist-path";
import { buildProcessImage } from "../image/process-image";
import type { TestFault } from "../image/test-faults";
import { startMachine } from "./create-cluster";
import { Firmware } from "./machine/firmware";

interface NodeOutcome {
  node: string;
  result?: { outcome: string; version: string; slot: string; detail: string };
  error?: { code: string; message: string };
}

/**
 * Node upgrades end to end on a process cluster: the launcher plays the
 * firmware and systemd-boot, slots hold real agent builds, and every
 * outcome (commit, each kind of fallback, rollback, staging, refusals,
 * kills, a damaged boot entry) is what the node really does.
 */
describe("node upgrades", () => {
  let cluster: TempCluster;
  let key: string;
  const bundles: Record<string, string> = {};
  const keelctl = (...args: string[]) => runKeelctl(cluster.env, ...args);
  const node = (name: string) =>
    cluster.record.nodes.find((n) => n.name === name) ?? assert.fail(`no node ${name}`);
  const client = (name: string) =>
    connectMachine(`${node(name).address}:50000`, cluster.admin, 5000);

  async function upgrade(nodes: string, image: string, ...flags: string[]): Promise<NodeOutcome[]> {
    const res = await keelctl("-n", nodes, "-o", "json", "upgrade", "--image", image, ...flags);
    return JSON.parse(res.stdout || "[]") as NodeOutcome[];
  }

  async function version(name: string) {
    const connection = client(name);
    try {
      return await connection.client.version({});
    } finally {
      connection.close();
    }
  }

  async function bootState(name: string) {
    const connection = client(name);
    try {
      return await connection.client.bootState({});
    } finally {
      connection.close();
    }
  }

  async function ready(name: string): Promise<void> {
    await eventually(
      `${name} ready`,
      async () => {
        const connection = client(name);
        try {
          return (await connection.client.health({})).ready;
        } catch {
          return false;
        } finally {
          connection.close();
        }
      },
      { timeoutMs: 90_000 },
    );
  }

  async function build(name: string, version: string, testFault?: TestFault): Promise<void> {
    bundles[name] = join(cluster.home, `${name}.bundle`);
    await buildProcessImage({
      version,
      signingKey: key,
      output: bundles[name],
      ...(testFault ? { testFault } : {}),
    });
  }

  before(async () => {
    cluster = await startTempCluster({
      controlPlanes: 1,
      workers: 2,
      kubernetes: { timeScale: 0.05 },
      watchdogSeconds: 4,
    });
    process.env.KEELSON_HOME = cluster.home;
    key = readFileSync(join(clusterDir(cluster.record.name), "signing-key.pem"), "utf8");
    delete process.env.KEELSON_HOME;
    await build("v2", "0.2.0");
    await build("crash", "0.3.0", "crash");
    await build("hang", "0.3.0", "hang");
    await build("unhealthy", "0.3.0", "unhealthy");
    await build("v4", "0.4.0");
  });
  after(() => cluster?.destroy());

  it("v1 → v2 commits on every node, through the health gate (Node Ready in Kubernetes included)", async () => {
    const outcomes = await upgrade("cp-1,worker-1,worker-2", bundles.v2 as string, "--wait");
    assert.deepEqual(
      outcomes.map((o) => [o.node, o.result?.outcome, o.result?.version, o.result?.slot]),
      [
        ["cp-1", "committed", "0.2.0", "B"],
        ["worker-1", "committed", "0.2.0", "B"],
        ["worker-2", "committed", "0.2.0", "B"],
      ],
    );
    const v = await version("worker-1");
    assert.equal(v.osImageVersion, "0.2.0");
    assert.equal(v.slot, "B");
    assert.equal(v.unacknowledgedFallback, undefined);
    const events = (await keelctl("-n", "worker-1", "events")).stdout;
    for (const what of [
      /upgrade arm: slot B armed with 0\.2\.0/,
      /upgrade boot: booted 0\.2\.0 from slot B on trial/,
      /upgrade commit: 0\.2\.0 passed its health gate/,
    ])
      assert.match(events, what);
  });

  it("rollback boots the other committed slot, and back", async () => {
    const res = await keelctl("-n", "cp-1", "rollback", "--wait");
    assert.equal(res.code, 0, res.stderr);
    assert.equal((await version("cp-1")).osImageVersion, "0.1.0");
    assert.equal((await version("cp-1")).slot, "A");
    assert.equal((await keelctl("-n", "cp-1", "rollback", "--wait")).code, 0);
    assert.equal((await version("cp-1")).osImageVersion, "0.2.0");
  });

  it("each broken kind of v3 falls back to v2 by itself within its tries, and says why", async () => {
    const patched = await keelctl(
      "-n",
      "worker-2",
      "config",
      "patch",
      "--patch",
      '{"machine":{"upgrade":{"healthTimeoutSeconds":10}}}',
    );
    assert.equal(patched.code, 0, patched.stderr);
    const [crash, hang, unhealthy] = await Promise.all([
      upgrade("cp-1", bundles.crash as string, "--wait"),
      upgrade("worker-1", bundles.hang as string, "--wait"),
      upgrade("worker-2", bundles.unhealthy as string, "--wait"),
    ]);
    const expect: [NodeOutcome[] | undefined, RegExp][] = [
      [crash, /exited with code 1 \(3 boots\)/],
      [hang, /watchdog: no sign of life/],
      [unhealthy, /not healthy within 10 s: .*test fault/],
    ];
    for (const [outcome, why] of expect) {
      const result = outcome?.[0]?.result;
      assert.equal(result?.outcome, "fell back", JSON.stringify(outcome));
      assert.equal(result?.version, "0.2.0");
      assert.match(result?.detail ?? "", why);
    }
    const v = await version("worker-1");
    assert.equal(v.osImageVersion, "0.2.0");
    assert.equal(v.unacknowledgedFallback?.fromVersion, "0.3.0");
    const said = await keelctl("-n", "worker-1", "version");
    assert.match(said.stderr, /worker-1: warning: fell back from 0\.3\.0 to 0\.2\.0/);
    assert.equal((await keelctl("-n", "worker-1", "upgrade", "ack")).code, 0);
    assert.equal((await version("worker-1")).unacknowledgedFallback, undefined);
    assert.doesNotMatch((await keelctl("-n", "worker-1", "version")).stderr, /warning/);
  });

  it("rollback with no committed image in the other slot is a clear FAILED_PRECONDITION", async () => {
    const res = await keelctl("-n", "worker-1", "rollback");
    assert.equal(res.code, 1);
    assert.match(
      res.stderr,
      /slot A holds no committed image to roll back to \(0\.3\.0 never passed its health gate\) \[failedPrecondition\]/,
    );
    assert.equal((await version("worker-1")).osImageVersion, "0.2.0");
  });

  it("--stage: upgrade cancel disarms it; staged again, a reboot for another reason takes the new slot", async () => {
    await upgrade("worker-2", bundles.v4 as string, "--stage");
    assert.equal((await bootState("worker-2")).nextSlot, "A");
    const cancel = await keelctl("-n", "worker-2", "-o", "json", "upgrade", "cancel");
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.equal(JSON.parse(cancel.stdout)[0]?.result?.version, "0.4.0");
    const slots = await keelctl("-n", "worker-2", "slots");
    assert.match(slots.stdout, /worker-2\s+B\s+0\.2\.0\s+committed\s+true\s+true/);
    const [staged] = await upgrade("worker-2", bundles.v4 as string, "--stage");
    assert.equal(staged?.result?.outcome, "staged");
    assert.equal(
      (await version("worker-2")).osImageVersion,
      "0.2.0",
      "still running the old image",
    );
    assert.equal((await bootState("worker-2")).nextSlot, "A");
    assert.equal((await keelctl("-n", "worker-2", "reboot", "--wait")).code, 0);
    await eventually("worker-2 committed 0.4.0", async () => {
      const state = await bootState("worker-2").catch(() => undefined);
      return state?.runningVersion === "0.4.0" && state.runningCommitted;
    });
  });

  it("refuses bad bundles with clear errors and writes nothing", async () => {
    const inactive = join(node("worker-1").stateDir, "slots", "a");
    const boot = join(node("worker-1").stateDir, "boot");
    const before = `${treeSnapshot(inactive)}\n${treeSnapshot(boot)}`;
    const good = readFileSync(bundles.v4 as string);
    const variant = (name: string, bytes: Buffer) => {
      const path = join(cluster.home, name);
      writeFileSync(path, bytes);
      return path;
    };
    const flipped = Buffer.from(good);
    flipped[flipped.length - 500] = (flipped[flipped.length - 500] ?? 0) ^ 0x55;
    const otherKey = join(cluster.home, "other.bundle");
    const { generateSigningKey } = await import("../../machinery/bundle");
    await buildProcessImage({
      version: "0.5.0",
      signingKey: generateSigningKey().privateKey,
      output: otherKey,
    });
    const unsigned = join(cluster.home, "unsigned.bundle");
    await buildProcessImage({ version: "0.5.0", output: unsigned });
    const older = join(cluster.home, "older.bundle");
    await buildProcessImage({ version: "0.1.5", signingKey: key, output: older });
    const cases: [string, string, RegExp][] = [
      ["tampered", variant("tampered.bundle", flipped), /does not match its digest/],
      ["unsigned", unsigned, /not signed/],
      ["wrong key", otherKey, /does not trust/],
      ["truncated", variant("truncated.bundle", good.subarray(0, good.length - 1000)), /truncated/],
      ["downgrade", older, /older than the running 0\.2\.0: a downgrade/],
    ];
    for (const [what, path, why] of cases) {
      const res = await keelctl("-n", "worker-1", "upgrade", "--image", path);
      assert.equal(res.code, 1, `${what} refused`);
      assert.match(res.stderr, why, what);
    }
    assert.equal(
      `${treeSnapshot(inactive)}\n${treeSnapshot(boot)}`,
      before,
      "the inactive slot and the boot entries kept their bytes",
    );
    assert.equal((await version("worker-1")).osImageVersion, "0.2.0");
  });

  it("SIGKILL of the agent or the launcher during write and arm: the node boots a committed slot", async () => {
    const trials = [
      ["agent", "upload"],
      ["launcher", "verify"],
      ["agent", "write"],
      ["launcher", "check"],
      ["agent", "arm"],
    ] as const;
    for (const [trial, [victim, phase]] of trials.entries()) {
      const { stateDir } = node("worker-1");
      const launcherPid = Number(readFileSync(join(stateDir, "machine.pid"), "utf8"));
      const agentPid = childOf(launcherPid);
      // keelctl prints each node's phase as it starts (stderr is no terminal here): kill on the phase.
      const upgrading = spawn(
        process.execPath,
        [
          distPath("keelctl.mjs"),
          "-n",
          "worker-1",
          "upgrade",
          "--stage",
          "--image",
          bundles.v4 as string,
        ],
        { env: cluster.env, stdio: ["ignore", "ignore", "pipe"] },
      );
      const exited = new Promise((r) => upgrading.once("exit", r));
      await new Promise<void>((resolve) => {
        upgrading.stderr.on("data", (chunk: Buffer) => {
          if (new RegExp(`\\s${phase}\\s`).test(chunk.toString())) resolve();
        });
        upgrading.once("exit", () => resolve());
      });
      process.kill(victim === "agent" ? agentPid : launcherPid, "SIGKILL");
      await exited;
      if (victim === "launcher") {
        await eventually("the node's processes gone", () => !existsSync(`/proc/${agentPid}`));
        startMachine(stateDir);
      }
      await ready("worker-1");
      // A kill after arm boots the new image on trial (the launcher's restart): it commits.
      await eventually(`trial ${trial}: running a committed slot`, async () => {
        const state = await bootState("worker-1").catch(() => undefined);
        return state?.runningCommitted === true;
      });
      const next = new Firmware(stateDir).choose();
      assert.ok(next, `trial ${trial}: something to boot next`);
    }
  });

  it("a damaged boot entry is rewritten and the node keeps booting its committed image", async () => {
    const entries = join(node("cp-1").stateDir, "boot", "loader", "entries");
    const running = (await bootState("cp-1")).slots.find((s) => s.committed && s.name === "B");
    assert.ok(running, "cp-1 runs B, committed");
    writeFileSync(join(entries, running.entry), "\u0000\u0013garbage from a damaged FAT\n");
    assert.equal((await keelctl("-n", "cp-1", "reboot", "--wait")).code, 0);
    assert.equal((await version("cp-1")).osImageVersion, "0.2.0");
    assert.match(
      (await keelctl("-n", "cp-1", "events")).stdout,
      /upgrade repair: the entry of the running slot B was damaged/,
    );
  });
});

/** The agent: the launcher's one child process. */
function childOf(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/);
  const child = Number(children[0]);
  if (!child) throw new KeelsonError("notFound", `launcher ${pid} has no agent`);
  return child;
}
