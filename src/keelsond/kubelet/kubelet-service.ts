import { KeelsonError } from "../../machinery/errors";
import { systemNamespace } from "../containers/containerd/namespaces";
import type { ContainerdService } from "../containers/daemon/containerd-service";
import { ContainerRunner } from "../containers/runner/container-runner";
import type { AgentContext } from "../context";
import type { Platform } from "../state";
import { ProcessRunner, type Runner, type ServiceSpec } from "../supervisor";
import { httpHealthy } from "./http-healthy";
import { kubeletFlags, kubeletHealthzPort } from "./kubelet-flags";
import { requireKubeletImage, runsKubeletContainer, storedImageName } from "./kubelet-image";

/** Where a containerized kubelet finds the platform's kubeconfig. */
const kubeconfigInContainer = "/etc/kubernetes/kubeconfig";

/**
 * The kubelet slot of the supervisor, filled the platform's way. Given a
 * command (a process node's launcher hands over kubesim's simulated
 * kubelet), it runs that command with the node's own flags added. Given
 * none, it runs the image the configuration names (machine.kubelet.image)
 * as a container on the node's containerd, on the host's network, the
 * platform's kubeconfig mounted read-only: the same image, whatever the
 * machine. Labels and taints come from the configuration; healthy while the
 * kubelet's /healthz answers, as a real kubelet's does. Undefined when the
 * platform has no kubelet.
 */
export function kubeletService(
  platform: Platform,
  ctx: () => AgentContext,
  runtime: ContainerdService | undefined,
): ServiceSpec | undefined {
  const kubelet = platform.kubelet;
  if (!kubelet) return undefined;
  const health: ServiceSpec["health"] = {
    intervalMs: 2000,
    timeoutMs: 2000,
    check: (signal) =>
      httpHealthy(`http://${ctx().identity.address}:${kubeletHealthzPort}/healthz`, signal),
  };
  if (kubelet.command?.[0]) {
    const [binary = "", ...args] = kubelet.command;
    return {
      id: "kubelet",
      restart: "forever",
      stopGraceMs: 2000,
      runner: () => processKubelet(binary, args, kubelet.kubeconfig, ctx()),
      health,
    };
  }
  if (!runsKubeletContainer(platform, runtime)) return undefined;
  return {
    id: "kubelet",
    dependsOn: [runtime.spec.id],
    restart: "forever",
    stopGraceMs: 5000,
    runner: () => containerKubelet(runtime, kubelet.kubeconfig, ctx()),
    health,
  };
}

/** A platform's kubelet program; the image the configuration names is handed over in KUBELET_IMAGE. */
function processKubelet(
  binary: string,
  args: string[],
  kubeconfig: string | undefined,
  { identity, settings }: AgentContext,
): Runner {
  const image = settings.kubelet.image;
  return new ProcessRunner({
    command: binary,
    ...(image ? { env: { KUBELET_IMAGE: image } } : {}),
    args: [
      ...args,
      ...(kubeconfig ? [`--kubeconfig=${kubeconfig}`] : []),
      ...kubeletFlags(identity, settings.kubelet),
    ],
  });
}

function containerKubelet(
  runtime: ContainerdService,
  kubeconfig: string | undefined,
  { identity, settings }: AgentContext,
): Runner {
  const named = settings.kubelet.image;
  if (!named)
    throw new KeelsonError(
      "failedPrecondition",
      "this platform runs the kubelet as a container, and machine.kubelet.image names none",
      "set machine.kubelet.image (keelctl apply-config)",
    );
  return new ContainerRunner({
    id: "kubelet",
    client: runtime.client,
    image: storedImageName(named),
    logsDir: runtime.paths.logs,
    namespace: systemNamespace,
    hostNetwork: true,
    cmd: [
      ...(kubeconfig ? [`--kubeconfig=${kubeconfigInContainer}`] : []),
      ...kubeletFlags(identity, settings.kubelet),
    ],
    ...(kubeconfig ? { mounts: [{ source: kubeconfig, destination: kubeconfigInContainer }] } : {}),
    ensureImage: (client) => requireKubeletImage(client, named),
  });
}
