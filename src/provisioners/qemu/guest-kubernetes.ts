import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { MachineConnection } from "../../machinery/client";
import { importImage } from "../../machinery/client";
import { kubeletVersionOf } from "../../machinery/config/kubelet/kubelet-image";
import { KeelsonError } from "../../machinery/errors";
import { kubeletImage, kubeletImageName } from "../image/kubelet-image";
import { writeImage } from "../image/program-image";
import { type LocalKubernetes, startLocalKubernetes } from "../process/kubernetes";
import { stopProcess } from "../process/stop-machines";

/** Where the guests reach kubesim: QEMU forwards this address of their user network to it. */
export const guestKubernetes = "10.0.2.100:6443";

/** Where keelson-init puts the platform's kubeconfig on a node (fw_cfg "kubeconfig"). */
export const nodeKubeconfig = "/mnt/state/kubelet/kubeconfig";

/**
 * kubesim on the host for a cluster of machines: its certificate also names
 * the address the guests reach it at, and the kubeconfig the nodes get
 * points there.
 */
export async function startGuestKubernetes(
  dir: string,
  address: string,
  timeScale: number,
): Promise<{
  kubernetes: LocalKubernetes;
  guestKubeconfig: string;
  forward: { guest: string; command: string[] };
}> {
  const [guestHost = ""] = guestKubernetes.split(":");
  const kubernetes = await startLocalKubernetes(dir, address, timeScale, [guestHost]);
  try {
    return forGuests(dir, address, kubernetes);
  } catch (error) {
    await stopProcess(kubernetes.pid);
    throw error;
  }
}

function forGuests(dir: string, address: string, kubernetes: LocalKubernetes) {
  const guestKubeconfig = readFileSync(kubernetes.kubeconfig, "utf8").replaceAll(
    kubernetes.url,
    `https://${guestKubernetes}`,
  );
  if (!guestKubeconfig.includes(guestKubernetes))
    throw new KeelsonError("internal", `kubesim's kubeconfig does not name ${kubernetes.url}`);
  // One small relay per guest connection: its standard input and output to kubesim's port.
  const relay = join(dir, "kubernetes", "relay.mjs");
  writeFileSync(
    relay,
    'import { connect } from "node:net";\nconst [host, port] = process.argv.slice(2);\nconst socket = connect(Number(port), host);\nprocess.stdin.pipe(socket).pipe(process.stdout);\nsocket.on("error", () => process.exit(1));\nsocket.on("close", () => process.exit(0));\n',
  );
  return {
    kubernetes,
    guestKubeconfig,
    forward: { guest: guestKubernetes, command: [process.execPath, relay, address, "6443"] },
  };
}

/** The simulated kubelet's image name for the version the configuration's kubelet image names. */
export function simulatedKubeletFor(configuredImage: string): { name: string; version: string } {
  const version = kubeletVersionOf(configuredImage) || "v1.31.0";
  return { name: kubeletImageName(version), version };
}

/** The simulated kubelet's image as an OCI archive in DIR, for nodes to import. */
export function writeKubeletArchive(dir: string, version: string): string {
  const archive = join(dir, `simulated-kubelet-${version}.tar`);
  writeImage(kubeletImage(version, undefined, true), archive);
  return archive;
}

/** Imports the kubelet image archive into every node's containerd, saying so for each. */
export async function importKubelet(
  nodes: readonly { name: string; address: string }[],
  archive: string,
  connect: (node: { address: string }) => MachineConnection,
  onProgress?: (node: string, state: string) => void,
): Promise<void> {
  await Promise.all(
    nodes.map(async (node) => {
      onProgress?.(node.name, "importing the kubelet image");
      // Unpacked by a machine under emulation: minutes, not the seconds a call usually gets.
      const connection = connect(node);
      try {
        // The `system` namespace, where the OS runs its own, as `keelctl image import --namespace system`.
        await importImage(connection.client, archive, "system");
      } finally {
        connection.close();
      }
    }),
  );
}
