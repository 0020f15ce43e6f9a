import type { ServiceSpec } from "../supervisor";
import { type ContainerdService, containerdService } from "./daemon";
import { healthdService } from "./healthd-service";

/** A node's container runtime and the OS services that run on it. */
export function nodeRuntime(
  stateDir: string,
  address: string,
  nodeCgroup: string | undefined,
): { runtime: ContainerdService; services: ServiceSpec[] } {
  const runtime = containerdService({ stateDir, nodeCgroup });
  const healthd = healthdService(runtime, address);
  return { runtime, services: [runtime.spec, ...(healthd ? [healthd] : [])] };
}
