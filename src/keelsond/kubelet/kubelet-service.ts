import type { AgentContext } from "../context";
import type { Platform } from "../state";
import { type ServiceSpec, TaskRunner } from "../supervisor";

/**
 * The kubelet slot of the supervisor. What fills it depends on the platform:
 * on the OS image, the kubelet image from the machine configuration runs as a
 * container (with the container runtime); in a local process node, a
 * simulated kubelet (kubesim's) runs inside the agent. Labels and taints come
 * from the configuration either way. Undefined when there is nothing to run.
 */
export function kubeletService(
  platform: Platform,
  ctx: () => AgentContext,
): ServiceSpec | undefined {
  const simulation = platform.kubeletSimulation;
  if (!simulation) return undefined;
  return {
    id: "kubelet",
    restart: "forever",
    stopGraceMs: 2000,
    runner: () =>
      new TaskRunner(async (log) => {
        // Loaded only where a simulated kubelet runs, so other nodes do not carry it.
        const { startSimulatedKubelet } = await import("../../kubesim/kubelet/simulated-kubelet");
        const { identity, settings } = ctx();
        const kubelet = await startSimulatedKubelet({
          kubeconfigPath: simulation.kubeconfig,
          nodeName: identity.name,
          address: identity.address,
          labels: settings.kubelet.labels,
          taints: settings.kubelet.taints,
          timeScale: simulation.timeScale,
          onError: (error) =>
            log.line(`kubelet: ${error instanceof Error ? error.message : String(error)}`),
        });
        log.line(`registered node ${identity.name} (simulated kubelet, process platform)`);
        return { stop: async () => kubelet.stop() };
      }),
  };
}
