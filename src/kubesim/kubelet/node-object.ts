import { createHash, randomUUID } from "node:crypto";
import type { KubeObject } from "../api";

export interface NodeShape {
  name: string;
  labels?: Record<string, string>;
  /** The address the node reports as InternalIP. */
  address: string;
  capacity?: { cpu?: string; memory?: string; pods?: string };
  taints?: { key: string; value?: string; effect: string }[];
  /** What nodeInfo.kubeletVersion says; kubeletVersion when absent. */
  kubeletVersion?: string;
}

export const kubeletVersion = "v1.32.0-kubesim";

const stamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

/** A stable fake address for a node that has no real one (virtual fleet). */
export function syntheticAddress(name: string, index?: number): string {
  const n = index ?? createHash("sha256").update(name).digest().readUInt16BE(0);
  return `10.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255 || 1}`;
}

export function nodeConditions(ready: boolean): Record<string, unknown>[] {
  const now = stamp();
  const healthy = (type: string, reason: string, message: string) => ({
    type,
    status: "False",
    lastHeartbeatTime: now,
    lastTransitionTime: now,
    reason,
    message,
  });
  return [
    healthy(
      "MemoryPressure",
      "KubeletHasSufficientMemory",
      "kubelet has sufficient memory available",
    ),
    healthy("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    healthy("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    {
      type: "Ready",
      status: ready ? "True" : "False",
      lastHeartbeatTime: now,
      lastTransitionTime: now,
      reason: ready ? "KubeletReady" : "KubeletNotReady",
      message: ready ? "kubelet is posting ready status" : "container runtime is starting",
    },
  ];
}

export function nodeStatus(shape: NodeShape, bootId: string): Record<string, unknown> {
  const capacity = {
    cpu: "4",
    memory: "8Gi",
    pods: "110",
    "ephemeral-storage": "40Gi",
    ...shape.capacity,
  };
  return {
    capacity,
    allocatable: capacity,
    conditions: nodeConditions(true),
    addresses: [
      { type: "InternalIP", address: shape.address },
      { type: "Hostname", address: shape.name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: createHash("md5").update(shape.name).digest("hex"),
      systemUUID: randomUUID(),
      bootID: bootId,
      kernelVersion: "6.6.0-keelson",
      osImage: "Keelson (kubesim)",
      containerRuntimeVersion: "containerd://2.0.0-kubesim",
      kubeletVersion: shape.kubeletVersion ?? kubeletVersion,
      kubeProxyVersion: shape.kubeletVersion ?? kubeletVersion,
      operatingSystem: "linux",
      architecture: "amd64",
    },
  };
}

/** The Node a kubelet registers (kubelet_node_status.go initialNode). */
export function nodeObject(shape: NodeShape): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: shape.name,
      labels: {
        "kubernetes.io/hostname": shape.name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "beta.kubernetes.io/arch": "amd64",
        ...shape.labels,
      },
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec: shape.taints?.length ? { taints: shape.taints } : {},
  };
}

/** A node Lease in kube-node-lease, renewed on every heartbeat. */
export function leaseObject(
  nodeName: string,
  uid: string | undefined,
  durationSeconds: number,
): KubeObject {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: nodeName,
      namespace: "kube-node-lease",
      ...(uid
        ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name: nodeName, uid }] }
        : {}),
    },
    spec: {
      holderIdentity: nodeName,
      leaseDurationSeconds: durationSeconds,
      renewTime: microTime(),
    },
  };
}

/** metav1.MicroTime: six fractional digits, or the API server refuses it. */
export function microTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
