import type { ConfigDocument } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import { parseReference } from "../../machinery/oci";
import { nodeSettings } from "../config/node-settings";
import type { Containerd } from "../containers/containerd/containerd";
import { systemNamespace } from "../containers/containerd/namespaces";
import { listImages } from "../containers/images";
import type { AgentContext } from "../context";

/** As containerd stores it: "keelson/kubelet:v1" is docker.io/keelson/kubelet:v1. */
export const storedImageName = (named: string) => parseReference(named).name;

/** Throws, saying how to fix it, when the node's containerd does not hold the kubelet's image. */
export async function requireKubeletImage(
  client: Containerd,
  named: string,
  field = "the kubelet image",
): Promise<void> {
  const image = storedImageName(named);
  if ((await listImages(client, systemNamespace)).some((i) => i.name === image)) return;
  throw new KeelsonError(
    "failedPrecondition",
    `${field}: ${image} is not on this node (containerd namespace ${systemNamespace})`,
    `import it first: keelctl image import --namespace ${systemNamespace} FILE (keelctl image build --target kubelet makes the simulated kubelet's)`,
  );
}

/**
 * Refuses a new machine.kubelet.image the node does not hold, where the
 * kubelet runs as a container: a node with no image to pull from (no
 * registry is reached) would otherwise boot into that change without a
 * kubelet. The node's first configuration is not checked: its platform
 * imports the image after it.
 */
export async function checkKubeletChange(
  ctx: AgentContext,
  documents: readonly ConfigDocument[],
): Promise<void> {
  if (!ctx.platform.kubelet || ctx.platform.kubelet.command?.[0] || !ctx.runtime) return;
  const next = nodeSettings(ctx.platform, documents).kubelet.image;
  if (!next || next === ctx.settings.kubelet.image) return;
  await requireKubeletImage(ctx.runtime.client, next, "machine.kubelet.image");
}
