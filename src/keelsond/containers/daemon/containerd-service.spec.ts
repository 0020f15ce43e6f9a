import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { eventually } from "../../../testing/eventually";
import { LogWriter, Supervisor } from "../../supervisor";
import { containerdConfig } from "./containerd-config";
import { containerdPaths } from "./containerd-paths";
import { containerdService } from "./containerd-service";
import { runtimeAvailability } from "./runtime-availability";

describe("containerd as a node service", () => {
  const dir = mkdtempSync(join(tmpdir(), "keelson-cds-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps root, state and socket under the node's state dir", () => {
    const paths = containerdPaths("/var/lib/keelson");
    assert.equal(paths.root, "/var/lib/keelson/containerd/root");
    assert.equal(paths.socket, "/var/lib/keelson/run/containerd/containerd.sock");
    const config = containerdConfig(paths);
    assert.match(config, /^root = "\/var\/lib\/keelson\/containerd\/root"$/m);
    assert.match(
      config,
      /^ {2}address = "\/var\/lib\/keelson\/run\/containerd\/containerd.sock"$/m,
    );
    assert.match(config, /^disabled_plugins = \["io.containerd.grpc.v1.cri"\]$/m);
    assert.match(containerdConfig(paths, { cri: true }), /^disabled_plugins = \[\]$/m);
  });

  it("moves the socket to a short per-node path when the state dir is too long for sun_path", () => {
    const long = `/home/someone/${"very-long-folder-name/".repeat(5)}nodes/worker-1`;
    const a = containerdPaths(long);
    const b = containerdPaths(`${long}-2`);
    assert.match(a.socket, /^\/run\/keelson\/[0-9a-f]{16}\/containerd\.sock$/);
    assert.notEqual(a.socket, b.socket);
    assert.ok(a.root.startsWith(long));
  });

  it("reports containerd unavailable without root, and its runner fails fast with the reason", async () => {
    const availability = runtimeAvailability(1000);
    assert.equal(availability.available, false);
    assert.match(availability.reason, /containerd needs root/);
    const service = containerdService({ stateDir: dir, availability });
    assert.equal(service.spec.restart, "once");
    await assert.rejects(
      service.spec.runner().start(new LogWriter(join(dir, "x.log")), new AbortController().signal),
      (e: unknown) =>
        e instanceof KeelsonError && e.code === "unavailable" && /needs root/.test(e.message),
    );
    const supervisor = new Supervisor([service.spec], join(dir, "logs"), () => {});
    supervisor.start();
    await eventually(
      "containerd failed",
      () => supervisor.get("containerd").status().state === "failed",
    );
    await supervisor.stop();
    assert.match(
      readFileSync(join(dir, "logs", "containerd.log"), "utf8"),
      /containerd needs root/,
    );
    await assert.rejects(
      service.client.version({ deadlineMs: 1000 }),
      (e: unknown) => e instanceof KeelsonError && e.code === "unavailable",
    );
    service.client.close();
  });
});
