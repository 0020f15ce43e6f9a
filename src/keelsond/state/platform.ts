import * as z from "zod/mini";

/**
 * What the platform tells a node before any configuration, as a cloud's
 * metadata service or a VM's NIC would: where its API listens and a default
 * hostname. Everything else comes from the machine configuration.
 */
export const platformSchema = z.strictObject({
  platform: z.string().check(z.minLength(1)),
  address: z.string().check(z.minLength(1)),
  port: z._default(z.number().check(z.int(), z.minimum(1), z.maximum(65535)), 50000),
  hostname: z.optional(z.string()),
  /**
   * Other addresses the node's API is reached at (a port forwarded to it, as
   * QEMU's user network does): its serving certificate names them too.
   */
  apiAliases: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** Every control plane of the cluster: where etcd finds a cluster to join. */
  controlPlanes: z.optional(z.array(z.strictObject({ name: z.string(), address: z.string() }))),
  /**
   * The cgroup (a v2 path such as /keelson/0123abcd) that holds everything of
   * this node, containers included: the process platform's launcher kills it
   * as a whole at every power cycle, so nothing outlives a boot.
   */
  cgroup: z.optional(z.string().check(z.regex(/^\/[\w./-]+$/))),
  /** Run containerd for this node (default). Local clusters may turn it off to stay light. */
  containerRuntime: z._default(z.boolean(), true),
  /**
   * How this platform runs the kubelet: the command the kubelet slot starts,
   * to which the agent adds the node's own flags (name, address, labels,
   * taints, health endpoint) as a real kubelet takes them. Local process
   * clusters hand over kubesim's simulated kubelet. No kubelet without it.
   */
  kubelet: z.optional(
    z.strictObject({
      /** Absent: the kubelet runs as a container from machine.kubelet.image on the node's containerd. */
      command: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
      /** The kubelet's credentials, passed as --kubeconfig; the agent reads its own Node with them. */
      kubeconfig: z.optional(z.string().check(z.minLength(1))),
    }),
  ),
  /** The node's boot slots: how large an image each holds, and the watchdog the agent pets. */
  boot: z._default(
    z.strictObject({
      slotBytes: z._default(z.number().check(z.int(), z.positive()), 1024 * 1024 * 1024),
      watchdogSeconds: z._default(z.number().check(z.int(), z.minimum(2)), 60),
    }),
    { slotBytes: 1024 * 1024 * 1024, watchdogSeconds: 60 },
  ),
});

export type Platform = z.infer<typeof platformSchema>;

/** Who the node is, as derived from its platform and configuration. */
export interface NodeIdentity {
  name: string;
  role: "controlplane" | "worker";
  cluster: string;
  address: string;
  /** Where else its API is reached (see Platform.apiAliases). */
  apiAliases: string[];
  port: number;
  platform: string;
}

/**
 * Where the node API listens. A process node shares its host, so it takes
 * its own address only; a machine listens on all of its addresses, so its
 * API answers before a DHCP lease arrives and on every link it has.
 */
export function listenAddress(platform: Pick<Platform, "platform" | "address">): string {
  return platform.platform === "process" ? platform.address : "0.0.0.0";
}
