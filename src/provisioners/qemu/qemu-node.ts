import { execFileSync } from "node:child_process";
import { mkdirSync, truncateSync } from "node:fs";
import { join } from "node:path";
import { applyPatches, type ConfigDocument, stringifyConfig } from "../../machinery/config";
import { issue, type PemPair } from "../../machinery/pki";
import type { Accelerator } from "./accelerator";
import { QemuMachine } from "./qemu-machine";

/** One machine of a QEMU cluster, as planned before it boots. */
export interface QemuNode {
  name: string;
  role: "controlplane" | "worker";
  /** The loopback address its API is forwarded to: how clients reach it. */
  address: string;
  /** Its address on the network the cluster's machines share (eth1). */
  clusterAddress: string;
  stateDir: string;
  mac: string;
}

/** What every machine of the cluster shares. */
export interface QemuClusterPlan {
  image: string;
  diskBytes: number;
  memoryMiB: number;
  cpus: number;
  accelerator: Accelerator;
  network: { group: string; port: number };
  controlPlanes: { name: string; address: string }[];
  os: PemPair;
  containerRuntime: boolean;
  /** With Kubernetes: the kubelet image, the guests' kubeconfig and the forward to kubesim. */
  kubernetes?: {
    kubeletImage: string;
    kubeconfig: string;
    kubeconfigOnNode: string;
    forward: { guest: string; command: string[] };
  };
}

/**
 * Boots a planned machine on its own copy of the image, as large as asked.
 * The platform hands it, through fw_cfg: its record, its configuration (the
 * role's, with its name, disk, links and kubelet), its serving certificate
 * and, with Kubernetes, its kubelet's kubeconfig.
 */
export async function bootQemuNode(
  node: QemuNode,
  roleConfig: readonly ConfigDocument[],
  plan: QemuClusterPlan,
): Promise<void> {
  mkdirSync(node.stateDir, { recursive: true });
  const serving = await issue(
    {
      commonName: node.name,
      hosts: [node.clusterAddress, node.address, node.name, "localhost"],
      usage: "server",
    },
    plan.os,
  );
  const disk = join(node.stateDir, "disk.raw");
  execFileSync("cp", ["--sparse=always", plan.image, disk]);
  truncateSync(disk, plan.diskBytes);
  const k8s = plan.kubernetes;
  const machine = new QemuMachine({
    dir: node.stateDir,
    disk,
    memoryMiB: plan.memoryMiB,
    cpus: plan.cpus,
    accelerator: plan.accelerator,
    apiAddress: node.address,
    guestForwards: k8s ? [k8s.forward] : [],
    clusterNetwork: { ...plan.network, mac: node.mac },
    detached: true,
    platform: {
      "platform.json": JSON.stringify({
        platform: "qemu",
        address: node.clusterAddress,
        hostname: node.name,
        apiAliases: [node.address],
        containerRuntime: k8s !== undefined || plan.containerRuntime,
        controlPlanes: plan.controlPlanes,
        ...(k8s ? { kubelet: { kubeconfig: k8s.kubeconfigOnNode } } : {}),
      }),
      ...(k8s ? { kubeconfig: k8s.kubeconfig } : {}),
      "user-data.yaml": stringifyConfig(nodeConfig(node, roleConfig, k8s?.kubeletImage)),
      "server.crt": serving.cert,
      "server.key": serving.key,
    },
  });
  await machine.started();
}

function nodeConfig(
  node: QemuNode,
  roleConfig: readonly ConfigDocument[],
  kubeletImage: string | undefined,
) {
  return applyPatches(roleConfig, [
    {
      type: "strategic",
      documents: [
        {
          machine: {
            hostname: node.name,
            // The disk QEMU gives it (virtio): a configuration naming another is refused.
            install: { disk: "/dev/vda" },
            ...(kubeletImage ? { kubelet: { image: kubeletImage } } : {}),
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
}
