import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { storeImage } from "../../keelsond/containers/images/store-image";
import { containerLogPath, createContainer, startTask } from "../../keelsond/containers/runtime";
import {
  type Harness,
  skipReason,
  startContainerd,
} from "../../keelsond/containers/testing/containerd-harness";
import { type Kubesim, startKubesim } from "../../kubesim";
import { KubeClient, readKubeconfig } from "../../machinery/kube";
import { allocateLoopbackSubnet } from "../../machinery/platform/loopback-subnet";
import { eventually } from "../../testing/eventually";
import { kubeletImage, kubeletImageName } from "./kubelet-image";

interface NodeObject {
  status?: {
    conditions?: { type: string; status: string }[];
    nodeInfo?: { kubeletVersion?: string };
  };
}

/**
 * The simulated kubelet as a container image, run as a node's kubelet slot
 * would run it on the metal image: the real containerd and runc, the host's
 * network, against kubesim over HTTPS. It registers its Node, reports the
 * version its image's tag names, and answers /healthz.
 */
describe("the simulated kubelet's container image", { skip: skipReason() }, () => {
  let dir: string;
  let kubesim: Kubesim;
  let h: Harness;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "keelson-kubelet-image-"));
    kubesim = await startKubesim({ dir });
    h = await startContainerd();
  });
  after(async () => {
    await h?.close();
    await kubesim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("registers a Ready node with its image's version and serves /healthz", async () => {
    const subnet = await allocateLoopbackSubnet({ hosts: [1], ports: [10248], owner: dir });
    const address = subnet.address(1);
    const image = kubeletImage("1.31.4", [
      {
        "etc/kubernetes/kubeconfig": {
          type: "file",
          content: readFileSync(kubesim.kubeconfigPath, "utf8"),
          mode: 0o600,
        },
      },
    ]);
    assert.equal(image.name, kubeletImageName("v1.31.4"));
    assert.equal(image.name, "keelson/simulated-kubelet:v1.31.4");
    await storeImage(h.client, "system", image);
    await createContainer(h.client, "system", {
      id: "kubelet",
      image: image.name,
      hostNetwork: true,
      args: [
        "/usr/bin/node",
        "/app/kubesim.mjs",
        "kubelet",
        "--kubeconfig",
        "/etc/kubernetes/kubeconfig",
        "--hostname-override",
        "in-a-container",
        "--node-ip",
        address,
        "--healthz-bind-address",
        address,
      ],
    });
    const log = containerLogPath(h.paths.logs, "system", "kubelet");
    await startTask(h.client, "system", "kubelet", log);
    const kube = new KubeClient(await readKubeconfig(kubesim.kubeconfigPath));
    try {
      const node = await eventually(
        "the container's Node Ready",
        async () => {
          const res = await kube.send("GET", "/api/v1/nodes/in-a-container").catch(() => undefined);
          const body = res?.status === 200 ? (res.body as NodeObject) : undefined;
          const ready = body?.status?.conditions?.some(
            (c) => c.type === "Ready" && c.status === "True",
          );
          return ready ? body : undefined;
        },
        { timeoutMs: 60_000 },
      );
      assert.equal(node.status?.nodeInfo?.kubeletVersion, "v1.31.4");
      // It registers first, then serves /healthz.
      const healthz = await eventually(
        "/healthz answering",
        () => fetch(`http://${address}:10248/healthz`).catch(() => undefined),
        { timeoutMs: 30_000 },
      );
      assert.equal(healthz.status, 200, readFileSync(log, "utf8"));
    } finally {
      kube.close();
    }
  });
});
