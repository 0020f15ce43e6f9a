import type { ConfigDocument } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import { parseReference } from "../../machinery/oci";
import { nodeSettings } from "../config/node-settings";
import type { Containerd } from "../containers/containerd/containerd";
import { systemNamespace } from "../containers/containerd/namespaces";
import type { ContainerdService } from "../containers/daemon/containerd-service";
import { findImage } from "../containers/images";
import type { AgentContext } from "../context";
import type { Platform } from "../state";

/** As containerd stores it: "keelson/kubelet:v1" is docker.io/keelson/kubelet:v1. */
export const storedImageName = (named: string) => parseReference(named).name;

/** The kubelet runs as a container from machine.kubelet.image: a platform with a kubelet but no command of its own, and a container runtime. */
export function runsKubeletContainer(
  platform: Platform,
  runtime: ContainerdService | undefined,
): runtime is ContainerdService {
  return !!platform.kubelet && !platform.kubelet.command?.[0] && !!runtime;
}

/** Whether the node's containerd holds the image (in the system namespace, where the kubelet runs). */
const holdsKubeletImage = async (client: Containerd, named: string) =>
  (await findImage(client, systemNamespace, named)) !== undefined;

/** Where the kubelet is started: a missing image is said with how to bring it. */
export async function requireKubeletImage(client: Containerd, named: string): Promise<void> {
  if (await holdsKubeletImage(client, named)) return;
  throw new KeelsonError(
    "failedPrecondition",
    `the kubelet image ${storedImageName(named)} is not on this node (containerd namespace ${systemNamespace})`,
    `import it: keelctl image import --namespace ${systemNamespace} FILE`,
  );
}

/**
 * Refuses a new machine.kubelet.image the node does not hold, where the
 * kubelet runs as a container: no registry is reached, so the node would
 * otherwise reboot or restart its kubelet into a change it cannot run.
 */
export async function checkKubeletChange(
  ctx: AgentContext,
  documents: readonly ConfigDocument[],
): Promise<void> {
  const runtime = ctx.runtime;
  if (!runsKubeletContainer(ctx.platform, runtime)) return;
  const next = nodeSettings(ctx.platform, documents).kubelet.image;
  if (!next || next === ctx.settings.kubelet.image) return;
  const held = await holdsKubeletImage(runtime.client, next).catch((error: unknown) => {
    throw new KeelsonError(
      "unavailable",
      `cannot check machine.kubelet.image ${next}: containerd does not answer (${KeelsonError.from(error).message})`,
      "apply it again once containerd runs (keelctl services)",
    );
  });
  if (!held)
    throw new KeelsonError(
      "failedPrecondition",
      `machine.kubelet.image: ${storedImageName(next)} is not on this node (containerd namespace ${systemNamespace})`,
      `import it before this change: keelctl image import --namespace ${systemNamespace} FILE`,
    );
}
