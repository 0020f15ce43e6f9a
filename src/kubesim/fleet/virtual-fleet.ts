import type { Timing } from "../cluster/timing";
import { syntheticAddress } from "../kubelet/node-object";
import { PodFeed, registryPort } from "../kubelet/registry-port";
import { SimKubelet } from "../kubelet/sim-kubelet";
import type { Registry } from "../registry";

export interface VirtualFleetOptions {
  count: number;
  /** Node names are `${prefix}${index}`, zero-padded. */
  prefix?: string;
  labels?: Record<string, string>;
  capacity?: { cpu?: string; memory?: string; pods?: string };
  /**
   * What sets one node apart from the rest: the InternalIP it reports (where
   * a virtual agent may serve it) and its own timings (how long its pods
   * take to stop, say). Called once per node, in index order.
   */
  node?: (index: number, name: string) => VirtualNodeOptions;
}

export interface VirtualNodeOptions {
  address?: string;
  timing?: Partial<Timing>;
}

export interface VirtualFleet {
  kubelets: SimKubelet[];
  /** Resolves once every node has registered. */
  ready: Promise<void>;
  /** Silences one node (a simulated reboot); start it again with `restart`, which reports a new boot ID. */
  silence(nodeName: string): void;
  restart(nodeName: string): Promise<void>;
  stop(): void;
}

/** Many simulated kubelets inside kubesim, sharing one pod feed, for benchmarks and demos. */
export function startVirtualFleet(
  registry: Registry,
  timing: Timing,
  options: VirtualFleetOptions,
): VirtualFleet {
  const feed = new PodFeed(registry);
  const port = registryPort(registry, feed);
  const prefix = options.prefix ?? "vnode-";
  const width = String(options.count - 1).length;
  const kubelets = Array.from({ length: options.count }, (_, i) => {
    const name = `${prefix}${String(i).padStart(width, "0")}`;
    const own = options.node?.(i, name) ?? {};
    const shape = {
      name,
      address: own.address ?? syntheticAddress(name, i + 1),
      labels: { "kubesim.keelson.dev/virtual": "true", ...options.labels },
      ...(options.capacity ? { capacity: options.capacity } : {}),
    };
    return new SimKubelet(port, shape, own.timing ? { ...timing, ...own.timing } : timing);
  });
  const byName = new Map(kubelets.map((k) => [k.nodeName, k]));
  const ready = Promise.all(kubelets.map((k) => k.start())).then(() => undefined);
  return {
    kubelets,
    ready,
    silence: (name) => byName.get(name)?.stop(),
    restart: async (name) => {
      await byName.get(name)?.start();
    },
    stop() {
      for (const k of kubelets) k.stop();
      feed.close();
    },
  };
}
