import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connectMachine } from "../../machinery/client";
import { readClientConfig } from "../../machinery/clientconfig";
import { KeelsonError } from "../../machinery/errors";
import { KubeClient, readKubeconfig } from "../../machinery/kube";
import { processAlive as alive } from "../../machinery/linux/process-alive";
import { buildMetalImage, type MetalImage } from "../image/metal/metal-image";
import { destroyCluster } from "../process/destroy-cluster";
import { createQemuCluster } from "./create-qemu-cluster";

/**
 * `keelctl cluster create --provisioner qemu`: the metal image booted in
 * QEMU machines that outlive the command, reached through forwarded
 * loopback addresses exactly as process nodes are, and talking to each other
 * over a socket network: two control planes form one etcd across it.
 */
describe("a cluster of QEMU machines", () => {
  let dir: string;
  let image: MetalImage;
  let configPath: string;
  const previousHome = process.env.KEELSON_HOME;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "qemu-cluster-"));
    // Built first, with the Debian packages cached where every build keeps them.
    image = await buildMetalImage({ version: "0.1.0", output: join(dir, "image") });
    process.env.KEELSON_HOME = join(dir, "home");
    configPath = join(dir, "keelconfig");
  });
  after(async () => {
    await destroyCluster("q", configPath).catch(() => {});
    process.env.KEELSON_HOME = previousHome;
    if (previousHome === undefined) delete process.env.KEELSON_HOME;
    rmSync(dir, { recursive: true, force: true });
  });

  const refusal = (options: Partial<Parameters<typeof createQemuCluster>[0]>) =>
    createQemuCluster({ name: "bad", controlPlanes: 1, workers: 0, configPath, ...options }).then(
      () => assert.fail("expected a refusal"),
      (e: unknown) => KeelsonError.from(e),
    );

  it("refuses a missing image, a disk that is not one, an image for another architecture and a disk too small, before any machine starts", async () => {
    assert.match((await refusal({ image: join(dir, "none.raw") })).message, /no disk image at/);
    const junk = join(dir, "junk.raw");
    writeFileSync(junk, Buffer.alloc(1 << 20));
    assert.match((await refusal({ image: junk })).message, /not a Keelson metal disk image/);
    const arm = join(dir, "arm.raw");
    execFileSync("cp", ["--sparse=always", image.disk, arm]);
    // ROOT-A (partition 2) typed as an arm64 root, as an image built for arm64 would be.
    execFileSync("sfdisk", [
      "--quiet",
      "--part-type",
      arm,
      "2",
      "B921B045-1DF0-41C3-AF44-4C6F280D3FAE",
    ]);
    assert.match((await refusal({ image: arm })).message, /built for another architecture/);
    const small = await refusal({ image: image.disk, diskGiB: 0.5 });
    assert.match(small.message, /--disk 0\.5 GiB is smaller than the image/);
    assert.match(small.hint ?? "", /at least \d/);
    assert.ok(
      !existsSync(join(dir, "home", "clusters", "bad")),
      "nothing is left of a refused cluster",
    );
  });

  it("boots two control planes that form one etcd over their own network and run the kubelet as a container, Ready in kubesim; destroy leaves nothing behind", async () => {
    const record = await createQemuCluster({
      name: "q",
      controlPlanes: 2,
      workers: 0,
      configPath,
      image: image.disk,
      memoryMiB: 768,
      readyTimeoutMs: 600_000,
    });
    assert.equal(record.provisioner, "qemu");
    const config = await readClientConfig(configPath);
    const context = config.contexts.q;
    assert.ok(context);
    const credentials = { ca: context.ca, cert: context.crt, key: context.key };
    const first = record.nodes[0];
    assert.ok(first);
    assert.match(first.address, /^127\./);
    const connection = connectMachine(`${first.address}:50000`, credentials, 20_000);
    try {
      const version = await connection.client.version({});
      assert.equal(version.platform, "qemu");
      assert.equal(version.node, "cp-1");
      const { members } = await connection.client.etcdMembers({});
      assert.deepEqual(members.map((m) => m.name).sort(), ["cp-1", "cp-2"]);
      assert.ok(
        members.every((m) => m.peerUrls.some((u) => /10\.5\.0\.1[01]/.test(u))),
        JSON.stringify(members),
      );
    } finally {
      connection.close();
    }
    // The simulated kubelet, a container from the image the configuration names, registered both Nodes.
    assert.ok(record.kubernetes);
    const kube = new KubeClient(await readKubeconfig(record.kubernetes.kubeconfig));
    try {
      const list = (await kube.call("GET", "/api/v1/nodes")) as {
        items: {
          metadata: { name: string };
          status?: { nodeInfo?: { kubeletVersion?: string } };
        }[];
      };
      assert.deepEqual(list.items.map((n) => n.metadata.name).sort(), ["cp-1", "cp-2"]);
      assert.ok(
        list.items.every((n) => /^v1\.\d+\.\d+$/.test(n.status?.nodeInfo?.kubeletVersion ?? "")),
      );
    } finally {
      kube.close();
    }
    const kubesimPid = record.kubernetes.pid;
    // Each node's serial console, as `keelctl cluster console` follows it.
    const console = readFileSync(join(first.stateDir, "console.log"), "utf8");
    assert.match(console, /keelson: cp-1: running as controlplane of cluster q/);
    const pids = record.nodes.map((n) =>
      Number(readFileSync(join(n.stateDir, "machine.pid"), "utf8")),
    );
    assert.ok(pids.every(alive), "the machines run on after the command that made them");
    await destroyCluster("q", configPath);
    assert.ok(
      pids.every((pid) => !alive(pid)),
      "destroy stops every machine",
    );
    assert.ok(!alive(kubesimPid), "and kubesim");
    assert.ok(!existsSync(join(dir, "home", "clusters", "q")));
  });
});
