import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  applyPatches,
  type ConfigDocument,
  type SecretsBundle,
  stringifyConfig,
} from "../../machinery/config";
import { issue } from "../../machinery/pki";
import { installNodeImage, type NodeImage } from "./node-image";

export interface PlannedNode {
  name: string;
  role: "controlplane" | "worker";
  address: string;
  port: number;
  stateDir: string;
}

export interface NodeStateSpec {
  roleConfig: readonly ConfigDocument[];
  secrets: SecretsBundle;
  /** The installed image: slot A of every node holds it, committed. */
  image: NodeImage;
  kubelet?: { command: string[]; kubeconfig?: string } | undefined;
  withUserData: boolean;
  containerRuntime: boolean;
  controlPlanes: readonly { name: string; address: string }[];
  /** Seconds of silence after which the machine's watchdog resets the agent. */
  watchdogSeconds?: number | undefined;
}

/**
 * Lays out a process node's state directory as its platform would hand it
 * over: platform record, the installed image in slot A with its boot entry,
 * the node's serving certificate, and its configuration as user data (the
 * role's generated config with the node's hostname), which the agent takes
 * as revision 1 on first boot.
 */
export async function writeNodeState(node: PlannedNode, spec: NodeStateSpec): Promise<void> {
  const { stateDir } = node;
  const { roleConfig, secrets, kubelet, withUserData, containerRuntime, controlPlanes } = spec;
  await mkdir(join(stateDir, "pki"), { recursive: true, mode: 0o700 });
  const config = applyPatches(roleConfig, [
    { type: "strategic", documents: [{ machine: { hostname: node.name } }] },
  ]);
  if (withUserData)
    await writeFile(join(stateDir, "user-data.yaml"), stringifyConfig(config), { mode: 0o600 });
  const platform = {
    platform: "process",
    address: node.address,
    port: node.port,
    hostname: node.name,
    containerRuntime,
    controlPlanes,
    cgroup: nodeCgroupPath(stateDir),
    kubelet,
    boot: { slotBytes: slotBytes, watchdogSeconds: spec.watchdogSeconds ?? 60 },
  };
  await writeFile(join(stateDir, "platform.json"), `${JSON.stringify(platform, null, 2)}\n`);
  await installNodeImage(stateDir, spec.image);
  // The platform's identity for the node: workers hold no CA key to make their own.
  const os = { cert: secrets.certs.os.crt, key: secrets.certs.os.key };
  const serving = await issue(
    { commonName: node.name, hosts: [node.address, node.name, "localhost"], usage: "server" },
    os,
  );
  await writeFile(join(stateDir, "pki", "server.crt"), serving.cert);
  await writeFile(join(stateDir, "pki", "server.key"), serving.key, { mode: 0o600 });
}

/** A process node's slots hold an agent build (a few MB); room for large test bundles too. */
const slotBytes = 1024 * 1024 * 1024;

/** The cgroup that holds everything of the node whose state is in `stateDir`. */
export function nodeCgroupPath(stateDir: string): string {
  return `/keelson/${createHash("sha256").update(stateDir).digest("hex").slice(0, 16)}`;
}
