import type { ConfigDocument } from "../../machinery/config";
import { KeelsonError } from "../../machinery/errors";
import type { NetworkSettings } from "../network";
import type { NodeIdentity, Platform } from "../state";

export type LogLevel = "debug" | "info" | "warn" | "error";

/** What the agent acts on, derived from its platform and the configuration in force. */
export interface NodeSettings {
  identity: NodeIdentity;
  /** The OS CA; the key only on control planes. */
  ca: { crt: string; key?: string };
  allowedReadPaths: string[];
  logLevel: LogLevel;
  kubelet: {
    /** The kubelet image the configuration names; its tag is the kubelet's version. */
    image?: string;
    labels: Record<string, string>;
    taints: { key: string; value: string; effect: string }[];
  };
  /** Bundle keys trusted besides the image's own, and the health gate's deadline. */
  upgrade: { trustedKeys: string[]; healthTimeoutMs: number };
  /** Links, addresses, routes and name servers (applied on the metal image). */
  network: NetworkSettings | undefined;
  /** Control planes: the etcd CA and extra flags. */
  etcd?: { ca: { crt: string; key?: string }; extraArgs: Record<string, string> };
}

export function nodeSettings(
  platform: Platform,
  documents: readonly ConfigDocument[],
): NodeSettings {
  const machineDoc = documents.find((d) => d.kind === "MachineConfig");
  const clusterDoc = documents.find((d) => d.kind === "ClusterConfig");
  if (machineDoc?.kind !== "MachineConfig")
    throw new KeelsonError("internal", "configuration has no MachineConfig");
  const { machine } = machineDoc;
  return {
    identity: {
      name:
        machine.hostname ??
        platform.hostname ??
        `keelson-${platform.address.replaceAll(/[.:]/g, "-")}`,
      role: machine.type,
      cluster: clusterDoc?.kind === "ClusterConfig" ? clusterDoc.cluster.name : "",
      address: platform.address,
      apiAliases: platform.apiAliases ?? [],
      port: platform.port,
      platform: platform.platform,
    },
    ca: { crt: machine.ca.crt, ...(machine.ca.key ? { key: machine.ca.key } : {}) },
    allowedReadPaths: machine.api?.allowedReadPaths ?? [],
    logLevel: machine.logging?.level ?? "info",
    kubelet: kubeletSettings(machine.type, machine.kubelet),
    upgrade: {
      trustedKeys: machine.upgrade?.trustedKeys ?? [],
      healthTimeoutMs: (machine.upgrade?.healthTimeoutSeconds ?? 300) * 1000,
    },
    network: machine.network,
    ...(machineDoc.etcd
      ? { etcd: { ca: machineDoc.etcd.ca, extraArgs: machineDoc.etcd.extraArgs ?? {} } }
      : {}),
  };
}

/**
 * The node's role label and, on control planes, the taint that keeps
 * workloads off them (as kubeadm and Talos do), then what the config adds.
 */
function kubeletSettings(
  role: "controlplane" | "worker",
  kubelet:
    | { image?: string; nodeLabels?: Record<string, string>; nodeTaints?: Record<string, string> }
    | undefined,
): NodeSettings["kubelet"] {
  const roleLabel =
    role === "controlplane"
      ? "node-role.kubernetes.io/control-plane"
      : "node-role.kubernetes.io/worker";
  const taints = Object.entries(kubelet?.nodeTaints ?? {}).map(([key, spec]) => {
    const [value = "", effect = "NoSchedule"] = spec.split(":");
    return { key, value, effect };
  });
  if (role === "controlplane")
    taints.unshift({
      key: "node-role.kubernetes.io/control-plane",
      value: "",
      effect: "NoSchedule",
    });
  return {
    ...(kubelet?.image ? { image: kubelet.image } : {}),
    labels: { [roleLabel]: "", ...kubelet?.nodeLabels },
    taints,
  };
}
