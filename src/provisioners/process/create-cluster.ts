import { spawn } from "node:child_process";
import { existsSync } from "node:fs";

import { join } from "node:path";
import { applyDemoWorkload } from "../../kubesim/demo/demo-workload";
import { connectMachine, connectMaintenance } from "../../machinery/client";
import { allocateLoopbackSubnet } from "../../machinery/platform/loopback-subnet";
import { distPath } from "../dist-path";
import { bootstrapEtcd } from "./bootstrap-etcd";
import { type ClusterRecord, writeClusterRecord } from "./cluster-record";
import { removeCluster } from "./destroy-cluster";
import { startLocalKubernetes, waitNodesReady } from "./kubernetes";
import { clusterConfigs, newCluster, recordedNode, saveContext } from "./new-cluster";
import { clusterImage } from "./node-image";
import { type PlannedNode, writeNodeState } from "./node-state";
import {
  bootstrapTokenFromConsole,
  type Connector,
  type Progress,
  waitApis,
  waitHealthy,
} from "./wait-ready";

export interface CreateOptions {
  name: string;
  controlPlanes: number;
  workers: number;
  /** Client config to write the cluster's context into. */
  configPath: string;
  /** Told each node's progress: starting, answering, what it waits for, ready. */
  onProgress?: Progress;
  /** How long to wait for the nodes (default 5 minutes). */
  readyTimeoutMs?: number;
  /** Wait until every node is ready (default); false returns once the APIs answer. */
  wait?: boolean;
  /** "kubesim" starts the Kubernetes API simulator beside the nodes; "none" runs nodes alone. */
  kubernetes?: "kubesim" | "none";
  /** Add a Deployment with a PDB, a DaemonSet and a StatefulSet, so there is something to drain. */
  demoWorkload?: boolean;
  /** Scales every simulated Kubernetes duration (tests use small values). */
  timeScale?: number;
  /** Hand the nodes no configuration: they boot into maintenance mode, as fresh machines do. */
  skipConfig?: boolean;
  /** Run containerd on every node (default true; needs root). */
  containerRuntime?: boolean;
  /** Seconds without a sign of life before a node's watchdog resets its agent (default 60). */
  watchdogSeconds?: number;
}

const apiPort = 50000;

/**
 * Creates a local cluster of process nodes the way any cluster is made:
 * secrets, then configs from `gen config`, handed to each node as platform
 * user data; one machine launcher per node, each agent on its own loopback
 * address. Returns once every API answers; on any failure everything started
 * is torn down.
 */
export async function createCluster(options: CreateOptions): Promise<ClusterRecord> {
  const { dir, record } = await newCluster(options, "process");
  try {
    const { nodes, subnet } = await planNodes(options, dir);
    const kubernetes =
      options.kubernetes === "none"
        ? undefined
        : await startLocalKubernetes(dir, subnet.address(254), options.timeScale ?? 1);
    if (kubernetes)
      record.kubernetes = {
        address: kubernetes.url,
        kubeconfig: kubernetes.kubeconfig,
        pid: kubernetes.pid,
      };
    const { secrets, configs, context, credentials } = await clusterConfigs(
      dir,
      options.name,
      kubernetes?.url ?? `https://${nodes[0]?.address}:6443`,
    );
    const image = await clusterImage(dir);
    const controlPlanes = nodes
      .filter((n) => n.role === "controlplane")
      .map(({ name, address }) => ({ name, address }));
    for (const node of nodes) {
      await writeNodeState(node, {
        roleConfig: configs[node.role],
        secrets,
        image,
        kubelet: kubernetes && simulatedKubelet(kubernetes.kubeconfig, options.timeScale ?? 1),
        withUserData: !options.skipConfig,
        containerRuntime: options.containerRuntime ?? true,
        controlPlanes,
        watchdogSeconds: options.watchdogSeconds,
      });
      record.nodes.push(recordedNode(node));
    }
    await writeClusterRecord(record);
    for (const node of nodes) startMachine(node.stateDir);
    const connect: Connector = options.skipConfig
      ? async (node) => {
          // As a person would: read the token off the node's console.
          const token = await bootstrapTokenFromConsole(node.stateDir);
          return token ? connectMaintenance(`${node.address}:${apiPort}`, token, 2000) : undefined;
        }
      : async (node) => connectMachine(`${node.address}:${apiPort}`, credentials, 2000);
    const timeoutMs = options.readyTimeoutMs ?? 300_000;
    await waitApis(record.nodes, connect, timeoutMs, options.onProgress);
    // As talosctl does for its local clusters: the first control plane forms etcd, the others join.
    if (!options.skipConfig && existsSync("/usr/bin/etcd"))
      await bootstrapEtcd(record.nodes[0], connect);
    if (options.skipConfig) for (const node of nodes) options.onProgress?.(node.name, "ready");
    else if (options.wait !== false) {
      await waitHealthy(record.nodes, connect, timeoutMs, options.onProgress);
      if (kubernetes)
        await waitNodesReady(
          kubernetes.kubeconfig,
          nodes.map((n) => n.name),
          timeoutMs,
        );
    }
    if (kubernetes && !options.skipConfig && options.demoWorkload)
      await applyDemoWorkload({ kubeconfigPath: kubernetes.kubeconfig });
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

async function planNodes(options: CreateOptions, dir: string) {
  const count = options.controlPlanes + options.workers;
  const hosts = Array.from({ length: count }, (_, index) => index + 1);
  // Nodes on .1, .2, …; kubesim on .254.
  const subnet = await allocateLoopbackSubnet({
    hosts: [...hosts, 254],
    ports: [apiPort, 6443],
    owner: dir,
  });
  const nodes = hosts.map((host, index): PlannedNode => {
    const controlPlane = index < options.controlPlanes;
    const name = controlPlane ? `cp-${index + 1}` : `worker-${index - options.controlPlanes + 1}`;
    return {
      name,
      role: controlPlane ? "controlplane" : "worker",
      address: subnet.address(host),
      port: apiPort,
      stateDir: join(dir, "nodes", name),
    };
  });
  return { nodes, subnet };
}

/** Powers a node's machine on: its launcher, detached, as the platform does at create and after a power loss. */
export function startMachine(stateDir: string): void {
  const child = spawn(
    process.execPath,
    [distPath("keelson-machine.mjs"), "--state-dir", stateDir],
    {
      detached: true,
      stdio: "ignore",
    },
  );
  child.unref();
}

/** The kubelet this platform hands its nodes: kubesim's simulated one, a program of its own. */
function simulatedKubelet(kubeconfig: string, timeScale: number) {
  const command = [distPath("kubesim.mjs"), "kubelet", "--time-scale", String(timeScale)];
  return { command: [process.execPath, ...command], kubeconfig };
}
