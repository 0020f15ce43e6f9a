import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { eventually } from "../../../testing/eventually";
import { storeImage } from "../images";
import {
  busyboxImage,
  type Harness,
  skipReason,
  startContainerd,
} from "../testing/containerd-harness";
import { containerLogs } from "./container-logs";
import { createContainer, listContainers } from "./containers";
import { removeContainer } from "./remove-container";
import { containerLogPath } from "./task-io";
import { taskStats } from "./task-metrics";
import { toExitStatus } from "./task-status";
import { killTask, startTask, waitTask } from "./tasks";

const skip = skipReason();
const ns = "system";

describe("containers and tasks on a real containerd", { skip }, () => {
  let h: Harness;
  before(async () => {
    h = await startContainerd();
    await storeImage(
      h.client,
      ns,
      busyboxImage("keelson.local/test/busybox:1", ["sh", "-c", "echo hi"]),
    );
  });
  after(async () => h?.close());

  it("runs a container, follows its log, reports stats, and sees how it exits", async () => {
    const id = "ticker";
    const script =
      "trap 'echo bye; exit 7' TERM; i=0; while true; do i=$((i+1)); echo line $i; echo err $i >&2; sleep 0.1; done";
    await createContainer(h.client, ns, {
      id,
      image: "keelson.local/test/busybox:1",
      args: ["sh", "-c", script],
    });
    const logPath = containerLogPath(h.paths.logs, ns, id);
    const pid = await startTask(h.client, ns, id, logPath);
    assert.ok(pid > 0);

    const listed = await listContainers(h.client, ns);
    assert.deepEqual(
      listed.map((c) => [c.id, c.image, c.state, c.pid]),
      [[id, "keelson.local/test/busybox:1", "running", pid]],
    );

    const stop = new AbortController();
    let seen = "";
    for await (const chunk of containerLogs({
      logsDir: h.paths.logs,
      namespace: ns,
      id,
      tail: 0,
      follow: true,
      signal: stop.signal,
    })) {
      seen += chunk.toString();
      if (seen.includes("line 3\n") && seen.includes("err 3\n")) stop.abort();
    }
    // stdout and stderr share the file; the shim copies each in order, but not in step.
    const lines = seen.split("\n");
    assert.deepEqual(lines.filter((l) => l.startsWith("line")).slice(0, 3), [
      "line 1",
      "line 2",
      "line 3",
    ]);
    assert.deepEqual(lines.filter((l) => l.startsWith("err")).slice(0, 3), [
      "err 1",
      "err 2",
      "err 3",
    ]);

    await eventually(
      "CPU time used",
      async () => (await taskStats(h.client, ns, id)).cpuUsageNs > 0n,
    );
    const stats = await taskStats(h.client, ns, id);
    assert.ok(stats.memoryUsageBytes > 0n, "memory usage is reported");

    await killTask(h.client, ns, id, "SIGTERM");
    // The shell is pid 1 of the container: it ends on SIGTERM only because it traps it.
    assert.deepEqual(toExitStatus(await waitTask(h.client, ns, id)), { code: 7, signal: null });
    await removeContainer(h.client, ns, id);
    assert.deepEqual(await listContainers(h.client, ns), []);
  });

  it("reports a nonexistent container or namespace as notFound", async () => {
    await assert.rejects(
      removeContainer(h.client, ns, "nope"),
      (e: unknown) => e instanceof KeelsonError && e.code === "notFound",
    );
    await assert.rejects(
      listContainers(h.client, "no-such-ns"),
      (e: unknown) =>
        e instanceof KeelsonError && e.code === "notFound" && /no-such-ns/.test(e.message),
    );
    await assert.rejects(
      taskStats(h.client, ns, "nope"),
      (e: unknown) => e instanceof KeelsonError && e.code === "notFound",
    );
    await assert.rejects(
      createContainer(h.client, ns, { id: "x", image: "keelson.local/test/missing:1" }),
      (e: unknown) => e instanceof KeelsonError && e.code === "notFound",
    );
  });
});
