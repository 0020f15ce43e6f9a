import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { eventually } from "../../../testing/eventually";
import { LogWriter, type ServiceSpec, Supervisor } from "../../supervisor";
import { containerdService } from "../daemon/containerd-service";
import { findImage, getImage, removeImage, snapshotter } from "../images";
import { listContainers } from "../runtime";
import {
  busyboxImage,
  cleanUpNode,
  removeEverything,
  skipReason,
  testCgroup,
} from "../testing/containerd-harness";
import { ContainerRunner } from "./container-runner";
import { containerService, ensureImage } from "./container-service";

const image = "keelson.local/system/busybox:1";

describe("ContainerRunner under the Supervisor", { skip: skipReason() }, () => {
  const dir = mkdtempSync("/tmp/keelson-run-");
  const cgroup = testCgroup(dir);
  const containerd = containerdService({ stateDir: dir, nodeCgroup: cgroup.path });
  const cd = containerd.client;
  const service = (id: string, args: string[], extra: Partial<ServiceSpec> = {}): ServiceSpec => ({
    id,
    dependsOn: ["containerd"],
    restart: "forever",
    stopGraceMs: 500,
    runner: () =>
      new ContainerRunner({
        client: cd,
        id,
        image,
        args,
        logsDir: containerd.paths.logs,
        ensureImage: async (client, ns) => {
          await ensureImage(client, ns, { name: image, build: () => busyboxImage(image, ["sh"]) });
        },
      }),
    ...extra,
  });
  const supervisor = new Supervisor(
    [
      containerd.spec,
      // Prints, then fails: the supervisor must restart it as a fresh container.
      containerService({
        id: "crashy",
        image: { name: image, build: () => busyboxImage(image, ["sh"]) },
        args: ["sh", "-c", "echo crashy up; exit 3"],
        containerd,
        stopGraceMs: 500,
      }),
      // Ignores SIGTERM (pid 1 without a handler): stop() must SIGKILL it after the grace period.
      service("stubborn", ["sh", "-c", "echo stubborn up; exec sleep 1000"]),
    ],
    join(dir, "logs"),
    // Every containerd run goes into the test's cgroup before it can start a shim.
    (status) => {
      if (status.id === "containerd" && status.state === "running" && status.pid)
        cgroup.child("os").add(status.pid);
    },
  );
  after(async () => {
    // Services stopped by a test keep their state; stop the rest, dependents first.
    for (const id of ["crashy", "stubborn", "containerd"]) {
      if (supervisor.get(id).status().state !== "stopped") await supervisor.get(id).stop();
    }
    cd.close();
    await cleanUpNode(dir, cgroup);
  });

  it("runs services as containers, restarts them, and logs their output as service logs", async () => {
    supervisor.start();
    await eventually(
      "stubborn running",
      () => supervisor.get("stubborn").status().state === "running",
    );
    await eventually(
      "crashy restarted twice",
      () => supervisor.get("crashy").status().restarts >= 2,
    );
    const stubborn = supervisor.get("stubborn").status();
    assert.equal(stubborn.runner, "container");
    assert.ok(stubborn.pid > 0);
    await eventually("stubborn's output in its log", () =>
      readFileSync(join(dir, "logs", "stubborn.log"), "utf8").includes("stubborn up"),
    );
    const crashyLog = readFileSync(join(dir, "logs", "crashy.log"), "utf8");
    assert.match(crashyLog, /^\S+Z crashy up$/m);
    const [listed] = (await listContainers(cd, "system")).filter((c) => c.id === "stubborn");
    assert.deepEqual([listed?.state, listed?.pid], ["running", stubborn.pid]);
  });

  it("builds an OS image only when containerd lacks this build", async () => {
    const name = "keelson.local/system/built-on-demand:1";
    let builds = 0;
    const build = () => {
      builds++;
      return busyboxImage(name, ["sh"]);
    };
    const built = { name, build };
    const digest = await ensureImage(cd, "system", built);
    assert.equal(builds, 1, "the first start builds: its digest is not known yet");
    assert.equal((await findImage(cd, "system", name))?.digest, digest);
    assert.equal(await ensureImage(cd, "system", built, digest), digest);
    assert.equal(builds, 1, "a later start finds this build stored and builds nothing");
    await removeImage(cd, "system", name);
    assert.equal(await ensureImage(cd, "system", built, digest), digest);
    assert.equal(builds, 2, "an image removed from containerd is built and stored again");
    assert.equal((await findImage(cd, "system", name))?.digest, digest);
    await removeImage(cd, "system", name);
  });

  it("restarts a killed containerd while containers keep running, and the API says so meanwhile", async () => {
    const before = supervisor.get("containerd").status();
    const containerPid = supervisor.get("stubborn").status().pid;
    process.kill(before.pid, "SIGKILL");
    await eventually(
      "containerd restarted",
      () => supervisor.get("containerd").status().restarts > before.restarts,
    );
    await eventually("containerd healthy", () => supervisor.get("containerd").status().healthy);
    assert.equal(supervisor.get("stubborn").status().pid, containerPid);
    assert.equal(supervisor.get("stubborn").status().state, "running");
  });

  it("starts where containerd stopped between deleting a container and its snapshot", async () => {
    const id = "orphaned";
    await ensureImage(cd, "system", { name: image, build: () => busyboxImage(image, ["sh"]) });
    const { topChainId } = await getImage(cd, { namespace: "system" }, image);
    await cd.call(
      "prepare the orphaned snapshot",
      (s, o) => s.snapshots.prepare({ snapshotter, key: id, parent: topChainId }, o),
      { namespace: "system" },
    );
    const runner = new ContainerRunner({
      client: cd,
      id,
      image,
      args: ["sh", "-c", "exec sleep 1000"],
      logsDir: containerd.paths.logs,
    });
    await runner.start(new LogWriter(join(dir, "logs", `${id}.log`)), new AbortController().signal);
    assert.ok(runner.pid() > 0);
    await runner.stop(0);
    assert.deepEqual(
      (await listContainers(cd, "system")).map((c) => c.id).filter((c) => c === id),
      [],
    );
  });

  it("stops containers (SIGKILL after the grace period) and leaves none behind", async () => {
    await Promise.all(["crashy", "stubborn"].map((id) => supervisor.get(id).stop()));
    assert.deepEqual(await listContainers(cd, "system"), []);
    await removeEverything(cd);
  });
});
