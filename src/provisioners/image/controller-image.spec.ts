import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { KubernetesObjectApi } from "@kubernetes/client-node";
import { planCrd } from "../../controller/crd/plan-crd";
import { type KubeApis, kubeApis } from "../../controller/kube/kube-apis";
import { storeImage } from "../../keelsond/containers/images/store-image";
import { containerLogPath, createContainer, startTask } from "../../keelsond/containers/runtime";
import {
  type Harness,
  skipReason,
  startContainerd,
} from "../../keelsond/containers/testing/containerd-harness";
import { type Kubesim, startKubesim } from "../../kubesim";
import type { ImageManifest, OciImage } from "../../machinery/oci";
import { createCa, issue } from "../../machinery/pki";
import { readTar } from "../../machinery/tar";
import { eventually } from "../../testing/eventually";
import { controllerImage } from "./controller-image";

/** Every file and link in an image's layers. */
function imagePaths(image: OciImage): string[] {
  const manifest = JSON.parse(
    image.blobs.get(image.manifest.digest)?.toString() ?? "{}",
  ) as ImageManifest;
  return manifest.layers.flatMap((layer) =>
    readTar(image.blobs.get(layer.digest) ?? Buffer.alloc(0))
      .filter((e) => e.type !== "dir")
      .map((e) => `/${e.path}`),
  );
}

/**
 * The controller's container image, run as any cluster would run it: the
 * real containerd and runc, against kubesim, with its kubeconfig and its
 * os:upgrader certificate where the Deployment mounts them.
 */
describe("the upgrade controller's container image", { skip: skipReason() }, () => {
  let dir: string;
  let kubesim: Kubesim;
  let apis: KubeApis;
  let h: Harness;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "keelson-controller-image-"));
    kubesim = await startKubesim({ dir });
    apis = kubeApis(kubesim.kubeconfigPath);
    await KubernetesObjectApi.makeApiClient(apis.config).create(planCrd() as never);
    await apis.core.createNamespace({ body: { metadata: { name: "keelson-system" } } });
    h = await startContainerd();
  });
  after(async () => {
    await h?.close();
    await kubesim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("holds only the runtime and the program, and runs as nobody: it takes the lease and serves /metrics", async () => {
    const ca = await createCa("keelson-test-os");
    const upgrader = await issue(
      { commonName: "upgrade-controller", organizations: ["os:upgrader"], usage: "client" },
      ca,
    );
    const secret = (content: string) => ({ type: "file", content, mode: 0o644 }) as const;
    const image = controllerImage({
      version: "0.0.0-test",
      extraLayers: [
        {
          "etc/keelson/kubeconfig": secret(readFileSync(kubesim.kubeconfigPath, "utf8")),
          "var/run/secrets/keelson/ca.crt": secret(ca.cert),
          "var/run/secrets/keelson/tls.crt": secret(upgrader.cert),
          "var/run/secrets/keelson/tls.key": secret(upgrader.key),
        },
      ],
    });
    const paths = imagePaths(image);
    const programs = paths.filter((p) => /\/(s?bin|lib64|lib)\//.test(p) || p === "/usr/bin/node");
    assert.ok(paths.includes("/usr/bin/node") && paths.includes("/app/keelson-controller.mjs"));
    assert.deepEqual(
      paths.filter((p) => /\/(sh|bash|dash|busybox|apt|apt-get|dpkg)$/.test(p)),
      [],
      "no shell, no package manager",
    );
    assert.ok(
      programs.every((p) => p === "/usr/bin/node" || /\.so(\.\d+)*$/.test(p)),
      programs.join(),
    );

    await storeImage(h.client, "system", image);
    await createContainer(h.client, "system", {
      id: "controller",
      image: image.name,
      hostNetwork: true,
      args: [
        "/usr/bin/node",
        "/app/keelson-controller.mjs",
        "--kubeconfig",
        "/etc/keelson/kubeconfig",
        "--identity",
        "in-a-container",
        "--metrics-address",
        "127.0.0.1:0",
      ],
    });
    const log = containerLogPath(h.paths.logs, "system", "controller");
    // The task's own pid: a scan of /proc by arguments could find another spec's container.
    const pid = await startTask(h.client, "system", "controller", log);
    const lease = await eventually(
      "the container's controller holding the lease",
      async () =>
        (
          await apis.coordination
            .readNamespacedLease({
              name: "keelson-upgrade-controller",
              namespace: "keelson-system",
            })
            .catch(() => undefined)
        )?.spec?.holderIdentity === "in-a-container",
      { timeoutMs: 60_000 },
    );
    assert.ok(lease);
    const url = /metrics on (\S+)/.exec(readFileSync(log, "utf8"))?.[1];
    const metrics = await (await fetch(url ?? assert.fail(readFileSync(log, "utf8")))).text();
    assert.match(metrics, /# TYPE keelson_upgrade_nodes gauge/);
    assert.match(readFileSync(`/proc/${pid}/cmdline`, "utf8"), /keelson-controller\.mjs/);
    assert.match(readFileSync(`/proc/${pid}/status`, "utf8"), /^Uid:\s+65534\s/m);
  });
});
