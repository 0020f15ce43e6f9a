import { execFileSync } from "node:child_process";
import { mkdirSync, truncateSync } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { connectMachine } from "../../machinery/client";
import { applyPatches, stringifyConfig } from "../../machinery/config";
import { issue } from "../../machinery/pki";
import { allocateLoopbackSubnet } from "../../machinery/platform/loopback-subnet";
import { lastBuilt } from "../image/metal/last-built";
import { bootstrapEtcd } from "../process/bootstrap-etcd";
import { type ClusterRecord, writeClusterRecord } from "../process/cluster-record";
import { waitNodesReady } from "../process/kubernetes";
import {
  clusterConfigs,
  newCluster,
  recordedNode,
  saveContext,
  validateClusterShape,
} from "../process/new-cluster";
import { stopMachines, stopProcess } from "../process/stop-machines";
import { type Connector, type Progress, waitApis, waitHealthy } from "../process/wait-ready";
import { accelerator } from "./accelerator";
import {
  importSystemImage,
  nodeKubeconfig,
  simulatedKubeletFor,
  startGuestKubernetes,
  writeKubeletArchive,
} from "./guest-kubernetes";
import { checkMetalDisk } from "./metal-disk";
import { QemuMachine } from "./qemu-machine";

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
    const nodes = hosts.map((host, index) => {
      const controlPlane = index < options.controlPlanes;
      const name = controlPlane ? `cp-${index + 1}` : `worker-${index - options.controlPlanes + 1}`;
      return {
        name,
        role: controlPlane ? ("controlplane" as const) : ("worker" as const),
        address: subnet.address(host),
        clusterAddress: clusterSubnet(index),
        stateDir: join(dir, "nodes", name),
        mac: `52:54:00:6b:00:${host.toString(16).padStart(2, "0")}`,
      };
    });
    const kubelet = simulatedKubeletFor(
      configs.worker.find((d) => d.kind === "MachineConfig")?.machine.kubelet?.image ?? "",
    );
    const controlPlanes = nodes
      .filter((n) => n.role === "controlplane")
      .map((n) => ({ name: n.name, address: n.clusterAddress }));
    const clusterNetwork = { group: "230.0.0.1", port: 30000 + Math.floor(Math.random() * 30000) };
    const os = { cert: secrets.certs.os.crt, key: secrets.certs.os.key };
    for (const node of nodes) {
      mkdirSync(node.stateDir, { recursive: true });
      const config = applyPatches(configs[node.role], [
        {
          type: "strategic",
          documents: [
            {
              machine: {
                hostname: node.name,
                // The disk QEMU gives it (virtio): a configuration naming another is refused.
                install: { disk: "/dev/vda" },
                ...(guest ? { kubelet: { image: kubelet.name } } : {}),
                network: {
                  interfaces: [
                    { name: "eth0", dhcp: true },
                    { name: "eth1", addresses: [`${node.clusterAddress}/24`] },
                  ],
                },
              },
            },
          ],
        },
      ]);
      const serving = await issue(
        {
          commonName: node.name,
          hosts: [node.clusterAddress, node.address, node.name, "localhost"],
          usage: "server",
        },
        os,
      );
      const disk = join(node.stateDir, "disk.raw");
      execFileSync("cp", ["--sparse=always", image, disk]);
      truncateSync(disk, diskBytes);
      new QemuMachine({
        dir: node.stateDir,
        disk,
        memoryMiB: options.memoryMiB ?? 1024,
        cpus: options.cpus ?? 1,
        accelerator: accel.accelerator,
        apiAddress: node.address,
        guestForwards: guest ? [guest.forward] : [],
        clusterNetwork: { ...clusterNetwork, mac: node.mac },
        detached: true,
        platform: {
          "platform.json": JSON.stringify({
            platform: "qemu",
            address: node.clusterAddress,
            hostname: node.name,
            apiAliases: [node.address],
            containerRuntime: guest !== undefined || (options.containerRuntime ?? false),
            controlPlanes,
            ...(guest ? { kubelet: { kubeconfig: nodeKubeconfig } } : {}),
          }),
          ...(guest ? { kubeconfig: guest.guestKubeconfig } : {}),
          "user-data.yaml": stringifyConfig(config),
          "server.crt": serving.cert,
          "server.key": serving.key,
        },
      });
      record.nodes.push(recordedNode(node));
      await writeClusterRecord(record);
    }
    const connect: Connector = async (node) =>
      connectMachine(`${node.address}:50000`, credentials, 5000);
    const timeoutMs = options.readyTimeoutMs ?? 600_000;
    await waitApis(record.nodes, connect, timeoutMs, options.onProgress);
    if (guest) {
      const archive = writeKubeletArchive(dir, kubelet.version);
      await Promise.all(
        record.nodes.map(async (node) => {
          options.onProgress?.(node.name, "importing the kubelet image");
          const connection = await connect(node);
          try {
            if (connection) await importSystemImage(connection, archive);
          } finally {
            connection?.close();
          }
        }),
      );
    }
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
    await stopMachines(record.nodes.map((n) => n.stateDir));
    if (record.kubernetes) await stopProcess(record.kubernetes.pid);
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
