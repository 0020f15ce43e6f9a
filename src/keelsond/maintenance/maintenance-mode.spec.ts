import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { connectMachine, connectMaintenance } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import { distPath } from "../../provisioners/dist-path";
import { startMachine } from "../../provisioners/process";
import { stopMachines } from "../../provisioners/process/stop-machines";
import { bootstrapTokenFromConsole } from "../../provisioners/process/wait-ready";
import { eventually } from "../../testing/eventually";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";

const run = promisify(execFile);

/**
 * Fresh machines with no configuration: they wait in maintenance mode, serve
 * only Version and ApplyConfiguration to callers holding the token from
 * their console, and reboot into the configuration applied.
 */
describe("maintenance mode", () => {
  let cluster: TempCluster;
  let configs: string;
  const node = (i: number) => cluster.record.nodes[i] ?? assert.fail("no node");
  const address = (i: number) => `${node(i).address}:50000`;
  const keelctl = (...args: string[]) =>
    run(process.execPath, [distPath("keelctl.mjs"), ...args], { env: cluster.env });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail("expected a failure"),
      (e) => KeelsonError.from(e),
    );

  before(async () => {
    cluster = await startTempCluster({ workers: 1, skipConfig: true });
    configs = mkdtempSync(join(tmpdir(), "keelson-maint-"));
    const secrets = join(cluster.home, "clusters", cluster.record.name, "secrets.yaml");
    await keelctl(
      "gen",
      "config",
      cluster.record.name,
      "https://127.0.0.1:6443",
      "--with-secrets",
      secrets,
      "--output-dir",
      configs,
    );
  });
  after(async () => {
    await cluster?.destroy();
  });

  it("prints a bootstrap token and refuses callers without it", async () => {
    const token = await bootstrapTokenFromConsole(node(0).stateDir);
    assert.ok(token && token.length >= 20);
    for (const wrong of ["", "not-the-token", `${token}x`]) {
      const connection = connectMaintenance(address(0), wrong, 2000);
      const error = await failure(connection.client.version({}));
      assert.equal(error.code, "unauthenticated");
      assert.match(error.message, /bootstrap token/);
      connection.close();
    }
  });

  it("serves Version and ApplyConfiguration only, and keeps waiting after an invalid config", async () => {
    const token = (await bootstrapTokenFromConsole(node(0).stateDir)) ?? "";
    const connection = connectMaintenance(address(0), token, 2000);
    assert.equal((await connection.client.version({})).role, "maintenance");
    assert.equal((await failure(connection.client.serviceList({}))).code, "unimplemented");
    const invalid = await failure(
      connection.client.applyConfiguration({
        data: "apiVersion: keelson.dev/v1alpha1\nkind: MachineConfig\nmachine: {type: spaceship}\n",
      }),
    );
    assert.equal(invalid.code, "invalidArgument");
    assert.match(invalid.message, /machine\.type/);
    assert.equal((await connection.client.version({})).role, "maintenance", "still waiting");
    connection.close();
  });

  it("waits in maintenance mode, saying why, when the platform's user data is refused: never a reboot loop", async () => {
    const worker = node(1);
    const before = (await bootstrapTokenFromConsole(worker.stateDir)) ?? "";
    await stopMachines([worker.stateDir]);
    // Valid YAML, a configuration the node must refuse: an unknown machine type.
    writeFileSync(
      join(worker.stateDir, "user-data.yaml"),
      "apiVersion: keelson.dev/v1alpha1\nkind: MachineConfig\nmachine: {type: spaceship}\n",
    );
    startMachine(worker.stateDir);
    const token = await eventually("a new bootstrap token", async () => {
      const t = await bootstrapTokenFromConsole(worker.stateDir);
      return t && t !== before ? t : undefined;
    });
    const connection = connectMaintenance(address(1), token, 2000);
    try {
      assert.ok(existsSync(join(worker.stateDir, "user-data.yaml.refused")), "set aside");
      assert.ok(!existsSync(join(worker.stateDir, "user-data.yaml")));
      const version = await connection.client.version({});
      assert.equal(version.role, "maintenance");
      assert.match(
        version.maintenanceReason,
        /the platform's user data was refused: [\s\S]*machine\.type: expected controlplane or worker/,
      );
    } finally {
      connection.close();
      rmSync(join(worker.stateDir, "user-data.yaml.refused"), { force: true });
    }
  });

  it("reboots into a configuration applied with keelctl, then speaks mTLS with roles", async () => {
    for (const [i, file] of [
      [0, "controlplane.yaml"],
      [1, "worker.yaml"],
    ] as const) {
      const token = (await bootstrapTokenFromConsole(node(i).stateDir)) ?? "";
      const patch = `machine: {hostname: ${node(i).name}}`;
      await keelctl(
        "apply-config",
        "--insecure",
        "--bootstrap-token",
        token,
        "-n",
        node(i).address,
        "-f",
        join(configs, file),
        "-p",
        patch,
      );
    }
    for (const i of [0, 1]) {
      let version: { node: string; role: string } | undefined;
      for (let attempt = 0; attempt < 100 && !version; attempt++) {
        const connection = connectMachine(address(i), cluster.admin, 1000);
        version = await connection.client.version({}).catch(() => undefined);
        connection.close();
        if (!version) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(version?.node, node(i).name);
      assert.equal(version?.role, node(i).role);
    }
    const history = JSON.parse(
      (await keelctl("-n", "worker-1", "-o", "json", "config", "history")).stdout,
    );
    assert.equal(history[0].result.revisions[0].author, "maintenance mode (bootstrap token)");
  });
});
