import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { buildImage, ociArchive } from "../../machinery/image-builder";
import { eventually } from "../../testing/eventually";
import { runKeelctl } from "../../testing/run-keelctl";
import { startTempCluster, type TempCluster } from "../../testing/temp-cluster";
import { runtimeAvailability } from "./daemon";
import { healthdPort } from "./healthd-service";

const availability = runtimeAvailability();

/**
 * The container capability through the node API, on a real local node:
 * supervised containerd, an OS service (healthd) running as a container from
 * an image the agent built, logs, stats and images. The test command runs as
 * root and installs containerd and runc; without root the nodes must say why
 * there is no runtime, and that is what is checked then.
 */
describe("containers through the node API", () => {
  let cluster: TempCluster;
  const keelctl = (...args: string[]) => runKeelctl(cluster.env, ...args);
  const containers = async () => {
    const items = JSON.parse((await keelctl("-o", "json", "containers")).stdout);
    return items[0].result as {
      containers?: { id: string; state: string; pid: number; namespace: string }[];
      unavailableReason?: string;
    };
  };
  const healthdRunning = async () => {
    const running = await eventually("healthd running", async () => {
      const healthd = (await containers()).containers?.find((c) => c.id === "healthd");
      return healthd?.state === "running" && healthd;
    }).catch(() => undefined);
    if (running) return running;
    const services = (await keelctl("services")).stdout;
    const log = (await keelctl("logs", "healthd", "--tail", "20")).stdout;
    const containerd = (await keelctl("logs", "containerd", "--tail", "10")).stdout;
    assert.fail(
      `healthd never ran\n${services}\n--- healthd\n${log}\n--- containerd\n${containerd}`,
    );
  };

  before(async () => {
    cluster = await startTempCluster({ workers: 0, containerRuntime: true });
  });
  after(async () => {
    await cluster?.destroy();
  });

  it("runs healthd as a container from the agent's own image and serves /healthz", async (t) => {
    if (!availability.available) {
      assert.equal((await containers()).unavailableReason, availability.reason);
      return t.diagnostic(`runtime unavailable here: ${availability.reason}`);
    }
    const healthd = await healthdRunning();
    assert.equal(healthd.namespace, "system");
    assert.ok(healthd.pid > 0);
    const address = cluster.record.nodes[0]?.address;
    const res = await fetch(`http://${address}:${healthdPort}/healthz`);
    assert.equal(await res.text(), "ok\n");
    const logs = await keelctl("logs", "healthd", "--namespace", "system", "--tail", "5");
    assert.match(logs.stdout, /response:200/);
    const stats = JSON.parse(
      (await keelctl("-o", "json", "stats", "--namespace", "system")).stdout,
    );
    const stat = stats[0].result.stats.find((s: { id: string }) => s.id === "healthd");
    assert.ok(Number(stat.memoryBytes) > 0);
  });

  it("imports an archive in chunks, lists and removes it, and refuses what is not an archive", async (t) => {
    if (!availability.available)
      return t.diagnostic(`runtime unavailable here: ${availability.reason}`);
    const image = buildImage({
      name: "example.test/tools/hello:1",
      // Over 512 KiB so the upload takes several chunks.
      layers: [
        {
          "data/blob": { type: "file", content: Buffer.alloc(1536 * 1024, 7) },
          "bin/busybox": { type: "file", source: "/bin/busybox", mode: 0o755 },
        },
      ],
      entrypoint: ["/bin/busybox", "true"],
    });
    const archive = join(cluster.home, "hello.tar");
    writeFileSync(archive, ociArchive(image));
    const imported = await keelctl("image", "import", archive);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /example\.test\/tools\/hello:1/);
    assert.match(
      (await keelctl("images", "--namespace", "k8s.io")).stdout,
      /example\.test\/tools\/hello:1/,
    );
    assert.equal((await keelctl("image", "rm", "example.test/tools/hello:1")).code, 0);
    assert.doesNotMatch((await keelctl("images", "--namespace", "k8s.io")).stdout, /hello:1/);

    const junk = join(cluster.home, "junk.tar");
    writeFileSync(junk, "this is not a tar archive at all".repeat(100));
    const refused = await keelctl("image", "import", junk);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /invalidArgument/);
    const missing = await keelctl("logs", "nosuch", "--namespace", "system");
    assert.match(missing.stderr, /no log for container "nosuch"/);
  });

  it("restarts containerd when it crashes and says so meanwhile", async (t) => {
    if (!availability.available)
      return t.diagnostic(`runtime unavailable here: ${availability.reason}`);
    await healthdRunning();
    const services = JSON.parse((await keelctl("-o", "json", "services")).stdout)[0].result
      .services;
    const containerd = services.find((s: { id: string }) => s.id === "containerd");
    process.kill(containerd.pid, "SIGKILL");
    await eventually("containerd back, healthy", async () => {
      const now = JSON.parse((await keelctl("-o", "json", "services")).stdout)[0].result.services;
      const svc = now.find((s: { id: string }) => s.id === "containerd");
      return svc.restarts >= 1 && svc.state === "running" && svc.healthy;
    });
    await healthdRunning();
  });
});
