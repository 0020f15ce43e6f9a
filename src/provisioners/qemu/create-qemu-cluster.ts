import { join } from "node:path";
import { connectMachine } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import { allocateLoopbackSubnet } from "../../machinery/platform/loopback-subnet";
import { lastBuilt } from "../image/metal/last-built";
import { bootstrapEtcd } from "../process/bootstrap-etcd";
import { type ClusterRecord, writeClusterRecord } from "../process/cluster-record";
import { removeCluster } from "../process/destroy-cluster";
import { waitNodesReady } from "../process/kubernetes";
import {
  clusterConfigs,
  newCluster,
  recordedNode,
  saveContext,
  validateClusterShape,
} from "../process/new-cluster";
import { type Connector, type Progress, waitApis, waitHealthy } from "../process/wait-ready";
import { accelerator } from "./accelerator";
import {
  importKubelet,
  nodeKubeconfig,
  simulatedKubeletFor,
  startGuestKubernetes,
  writeKubeletArchive,
} from "./guest-kubernetes";
import { checkMetalDisk } from "./metal-disk";
import { bootQemuNode, type QemuClusterPlan, type QemuNode } from "./qemu-node";

export interface QemuClusterOptions {
  name: string;
  controlPlanes: number;
  workers: number;
  /** Client config to write the cluster's context into. */
  configPath: string;
  /** The metal disk image every node boots (default: the one `image build` made last). */
  image?: string;
  memoryMiB?: number;
  cpus?: number;
  /** Each node's disk; EPHEMERAL grows to fill it at first boot. */
  diskGiB?: number;
  /** Run containerd on the nodes (always with Kubernetes: the kubelet is a container). */
  containerRuntime?: boolean;
  /** "kubesim" (default) runs the Kubernetes API simulator on the host and a kubelet container on every node. */
  kubernetes?: "kubesim" | "none";
  /** Scales every simulated Kubernetes duration. */
  timeScale?: number;
  onProgress?: Progress;
  /** Said once: which accelerator the machines run on, and why. */
  onNotice?: (line: string) => void;
  readyTimeoutMs?: number;
}

/** The network the cluster's machines share (eth1): their etcd and their peers talk there. */
const clusterSubnet = (index: number) => `10.5.0.${10 + index}`;

/** Names, roles and addresses: control planes first (cp-1, …), then workers (worker-1, …). */
function planNodes(
  shape: { controlPlanes: number },
  hosts: number[],
  loopback: (host: number) => string,
  dir: string,
): QemuNode[] {
  return hosts.map((host, index) => {
    const controlPlane = index < shape.controlPlanes;
    const name = controlPlane ? `cp-${index + 1}` : `worker-${index - shape.controlPlanes + 1}`;
    return {
      name,
      role: controlPlane ? "controlplane" : "worker",
      address: loopback(host),
      clusterAddress: clusterSubnet(index),
      stateDir: join(dir, "nodes", name),
      mac: `52:54:00:6b:00:${host.toString(16).padStart(2, "0")}`,
    };
  });
}

/**
 * Creates a cluster of QEMU machines booting the metal image: each its own
 * disk (a copy of the image, as large as asked), UEFI variables and serial
 * console; its API forwarded to a loopback address of its own, so it is
 * reached exactly as a process node; a socket network between them. The
 * platform hands each node its record, configuration and serving
 * certificate through fw_cfg, as a cloud hands user data.
 */
export async function createQemuCluster(options: QemuClusterOptions): Promise<ClusterRecord> {
  validateClusterShape(options);
  if (options.controlPlanes + options.workers > 200)
    throw new KeelsonError("invalidArgument", "a QEMU cluster has at most 200 machines");
  const image = options.image ?? lastBuilt().disk;
  const diskBytes = checkMetalDisk(image, options.diskGiB ?? 2);
  const { dir, record } = await newCluster(options, "qemu");
  try {
    const accel = await accelerator();
    options.onNotice?.(`QEMU accelerator: ${accel.accelerator} (${accel.why})`);
    const count = options.controlPlanes + options.workers;
    const hosts = Array.from({ length: count }, (_, index) => index + 1);
    const withKubernetes = (options.kubernetes ?? "kubesim") === "kubesim";
    // Nodes on .1, .2, …; kubesim on .254.
    const subnet = await allocateLoopbackSubnet({
      hosts: [...hosts, 254],
      ports: [50000, 6443],
      owner: dir,
    });
    const guest = withKubernetes
      ? await startGuestKubernetes(dir, subnet.address(254), options.timeScale ?? 1)
      : undefined;
    if (guest) {
      const { url, kubeconfig, pid } = guest.kubernetes;
      record.kubernetes = { address: url, kubeconfig, pid };
      await writeClusterRecord(record);
    }
    const { secrets, configs, context, credentials } = await clusterConfigs(
      dir,
      options.name,
      `https://${clusterSubnet(0)}:6443`,
    );
    const nodes = planNodes(options, hosts, (host) => subnet.address(host), dir);
    const kubelet = simulatedKubeletFor(
      configs.worker.find((d) => d.kind === "MachineConfig")?.machine.kubelet?.image ?? "",
    );
    const plan: QemuClusterPlan = {
      image,
      diskBytes,
      memoryMiB: options.memoryMiB ?? 1024,
      cpus: options.cpus ?? 1,
      accelerator: accel.accelerator,
      // The cluster's loopback subnet is its own while it lives: so is this port.
      network: { group: "230.0.0.1", port: 40000 + subnet.subnet },
      controlPlanes: nodes
        .filter((n) => n.role === "controlplane")
        .map((n) => ({ name: n.name, address: n.clusterAddress })),
      os: { cert: secrets.certs.os.crt, key: secrets.certs.os.key },
      containerRuntime: options.containerRuntime ?? false,
      ...(guest
        ? {
            kubernetes: {
              kubeletImage: kubelet.name,
              kubeconfig: guest.guestKubeconfig,
              kubeconfigOnNode: nodeKubeconfig,
              forward: guest.forward,
            },
          }
        : {}),
    };
    for (const node of nodes) {
      await bootQemuNode(node, configs[node.role], plan);
      record.nodes.push(recordedNode(node));
      await writeClusterRecord(record);
    }
    const connect: Connector = async (node) =>
      connectMachine(`${node.address}:50000`, credentials, 5000);
    const timeoutMs = options.readyTimeoutMs ?? 600_000;
    await waitApis(record.nodes, connect, timeoutMs, options.onProgress);
    if (guest)
      await importKubelet(
        record.nodes,
        writeKubeletArchive(dir, kubelet.version),
        (node) => connectMachine(`${node.address}:50000`, credentials, timeoutMs),
        options.onProgress,
      );
    await bootstrapEtcd(record.nodes[0], connect);
    await waitHealthy(record.nodes, connect, timeoutMs, options.onProgress);
    if (guest)
      await waitNodesReady(
        guest.kubernetes.kubeconfig,
        record.nodes.map((n) => n.name),
        timeoutMs,
      );
    await saveContext(options.configPath, options.name, context, record.nodes);
    return record;
  } catch (error) {
    await removeCluster(
      dir,
      record.nodes.map((n) => n.stateDir),
      record,
    );
    throw error;
  }
}
