import type { AgentContext } from "../context";
import type { Platform } from "../state";
import { ProcessRunner, type ServiceSpec } from "../supervisor";
import { httpHealthy } from "./http-healthy";
import { kubeletFlags, kubeletHealthzPort } from "./kubelet-flags";

/**
 * The kubelet slot of the supervisor, filled by what the platform provides:
 * a command to which the node's own flags are added, healthy while the
 * kubelet's /healthz answers, as a real kubelet's does. Labels and taints
 * come from the configuration, and the image it names is handed over in
 * KUBELET_IMAGE: a platform that runs commands rather than images (a
 * simulated kubelet) reports that image's version. Undefined when the
 * platform has no kubelet.
 */
export function kubeletService(
  platform: Platform,
  ctx: () => AgentContext,
): ServiceSpec | undefined {
  const command = platform.kubelet?.command;
  if (!command?.[0]) return undefined;
  const [binary, ...args] = command;
  const kubeconfig = platform.kubelet?.kubeconfig;
  return {
    id: "kubelet",
    restart: "forever",
    stopGraceMs: 2000,
    runner: () => {
      const { identity, settings } = ctx();
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
    },
    health: {
      intervalMs: 2000,
      timeoutMs: 2000,
      check: (signal) =>
        httpHealthy(`http://${ctx().identity.address}:${kubeletHealthzPort}/healthz`, signal),
    },
  };
}
