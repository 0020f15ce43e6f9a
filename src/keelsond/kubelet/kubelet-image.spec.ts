import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ConfigDocument } from "../../machinery/config";
import { fixture } from "../../machinery/config/test-fixtures";
import { KeelsonError } from "../../machinery/errors";
import { systemNamespace } from "../containers/containerd/namespaces";
import { storeImage } from "../containers/images/store-image";
import {
  busyboxImage,
  type Harness,
  skipReason,
  startContainerd,
} from "../containers/testing/containerd-harness";
import type { AgentContext } from "../context";
import type { Platform } from "../state";
import { checkKubeletChange } from "./kubelet-image";

/**
 * A change of machine.kubelet.image on a node that runs its kubelet as a
 * container, against a real containerd: taken when the node holds the
 * image, refused (saying how to import it) when it does not, and never
 * checked where the platform hands over its own kubelet.
 */
describe("a kubelet image change", { skip: skipReason() }, () => {
  let h: Harness;
  let worker: ConfigDocument[];
  const held = "keelson/simulated-kubelet:v1.31.4";
  const withImage = (image: string) =>
    worker.map((d) =>
      d.kind === "MachineConfig"
        ? ({
            ...d,
            machine: { ...d.machine, kubelet: { ...d.machine.kubelet, image } },
          } as ConfigDocument)
        : d,
    );
  const node = (platform: Partial<Platform>): AgentContext =>
    ({
      platform: { platform: "qemu", address: "10.0.2.15", port: 50000, ...platform },
      settings: { kubelet: { image: "keelson/simulated-kubelet:v1.30.0" } },
      runtime: { client: h.client, availability: { available: true } },
    }) as unknown as AgentContext;

  before(async () => {
    h = await startContainerd();
    worker = (await fixture()).worker;
    await storeImage(h.client, systemNamespace, busyboxImage(held, ["/bin/true"]));
  });
  after(() => h?.close());

  it("takes an image the node holds, as containerd names it", async () => {
    await checkKubeletChange(node({ kubelet: {} }), withImage(held));
    await checkKubeletChange(node({ kubelet: {} }), withImage(`docker.io/${held}`));
  });

  it("refuses one it does not hold, naming the field and how to import it", async () => {
    await assert.rejects(
      checkKubeletChange(node({ kubelet: {} }), withImage("keelson/simulated-kubelet:v1.32.0")),
      (error: unknown) => {
        assert.ok(error instanceof KeelsonError);
        assert.equal(error.code, "failedPrecondition");
        assert.match(
          error.message,
          /^machine\.kubelet\.image: .*simulated-kubelet:v1\.32\.0 is not on this node/,
        );
        assert.match(
          error.hint ?? "",
          /before this change: keelctl image import --namespace system/,
        );
        return true;
      },
    );
  });

  it("checks nothing where the platform runs its own kubelet, or none", async () => {
    const missing = withImage("keelson/simulated-kubelet:v1.32.0");
    await checkKubeletChange(node({ kubelet: { command: ["/usr/bin/kubelet"] } }), missing);
    await checkKubeletChange(node({}), missing);
  });

  it("checks nothing when the image stays the same", async () => {
    const same = node({ kubelet: {} });
    await checkKubeletChange(same, withImage("keelson/simulated-kubelet:v1.30.0"));
  });
});
