import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type ClusterCredentials, renderKubeconfig } from "../../machinery/kube/kubeconfig";
import { startControllers } from "../controllers";
import { startVirtualFleet, type VirtualFleet, type VirtualFleetOptions } from "../fleet";
import { Registry } from "../registry";
import { listen } from "../server/api-server";
import type { FaultRule } from "../server/server-context";
import { bootstrapCluster } from "./bootstrap";
import { type ClusterCertificates, createClusterCertificates } from "./certificates";
import { scaleTiming, type Timing } from "./timing";

export interface KubesimOptions {
  /** Where the CA, the certificates and `kubeconfig` are written. */
  dir: string;
  /** Listen address; loopback by default. */
  address?: string;
  /** Other addresses clients reach it at (a forward into virtual machines): its certificate names them too. */
  alsoAt?: readonly string[];
  /** 0 picks a free port. */
  port?: number;
  /** Multiplies every simulated duration (0.05 makes a 40 s grace period 2 s). */
  timeScale?: number;
  timing?: Partial<Timing>;
  /** Simulated kubelets run inside kubesim, for benchmarks and demos without agents. */
  virtualNodes?: number;
  virtualFleet?: Omit<VirtualFleetOptions, "count">;
}

export interface Kubesim {
  url: string;
  port: number;
  kubeconfigPath: string;
  credentials: ClusterCredentials;
  certificates: ClusterCertificates;
  timing: Timing;
  /** Direct access to the API semantics, for benchmarks and tests that need no HTTP. */
  registry: Registry;
  fleet: VirtualFleet | undefined;
  /** Ends every open watch, as an API server restart does; clients must resume. */
  closeWatches(): void;
  /** Injects API faults for tests: each resource request gets `rule`'s error, if it gives one. */
  setFaults(rule: FaultRule | undefined): void;
  close(): Promise<void>;
}

/**
 * Starts a Kubernetes API simulator: an HTTPS server speaking the Kubernetes
 * wire API over an in-memory store (nothing survives a restart), with the
 * scheduler and controllers node maintenance exercises.
 */
export async function startKubesim(options: KubesimOptions): Promise<Kubesim> {
  const address = options.address ?? "127.0.0.1";
  const timing = scaleTiming(options.timeScale ?? 1, options.timing);
  const certificates = await createClusterCertificates([address, ...(options.alsoAt ?? [])]);
  const registry = new Registry();
  bootstrapCluster(registry);
  const controllers = startControllers(registry, timing);
  const listening = await listen(
    certificates,
    { registry, bookmarkIntervalMs: timing.bookmarkMs, logLineIntervalMs: timing.logLineMs },
    address,
    options.port ?? 0,
  );
  const host = address.includes(":") ? `[${address}]` : address;
  const url = `https://${host}:${listening.port}`;
  const credentials: ClusterCredentials = {
    server: url,
    ca: certificates.ca.cert,
    cert: certificates.admin.cert,
    key: certificates.admin.key,
  };
  await mkdir(options.dir, { recursive: true });
  const kubeconfigPath = join(options.dir, "kubeconfig");
  await writeFile(kubeconfigPath, renderKubeconfig(credentials), { mode: 0o600 });
  await writeFile(join(options.dir, "ca.crt"), certificates.ca.cert);
  const fleet = options.virtualNodes
    ? startVirtualFleet(registry, timing, { ...options.virtualFleet, count: options.virtualNodes })
    : undefined;
  return {
    url,
    port: listening.port,
    kubeconfigPath,
    credentials,
    certificates,
    timing,
    registry,
    fleet,
    closeWatches: listening.closeWatches,
    setFaults: listening.setFaults,
    close: async () => {
      fleet?.stop();
      listening.closeWatches();
      controllers.stop();
      listening.server.closeAllConnections();
      await new Promise<void>((resolve) => listening.server.close(() => resolve()));
    },
  };
}
