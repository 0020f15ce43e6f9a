import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { type Credentials, connectMachine } from "../../machinery/client";
import { upsertContext } from "../../machinery/clientconfig";
import { KeelsonError } from "../../machinery/errors";
import { createCa, issue, type PemPair } from "../../machinery/pki";
import { keelsonVersion } from "../../machinery/version";
import { distPath } from "../dist-path";
import { clusterDir } from "../keelson-home";
import { nodeAddress, pickSubnet } from "./address-pool";
import { type ClusterRecord, writeClusterRecord } from "./cluster-record";
import { stopMachines } from "./stop-machines";

export interface CreateOptions {
  name: string;
  controlPlanes: number;
  workers: number;
  /** Client config to write the cluster's context into. */
  configPath: string;
  onProgress?: (node: string, state: "starting" | "ready") => void;
  readyTimeoutMs?: number;
}

const apiPort = 50000;

/**
 * Creates a local cluster of process nodes: PKI, one state directory and one
 * machine launcher per node, each agent on its own loopback address. Returns
 * once every API answers; on any failure everything started is torn down.
 */
export async function createCluster(options: CreateOptions): Promise<ClusterRecord> {
  validate(options);
  const dir = clusterDir(options.name);
  await mkdir(join(dir, ".."), { recursive: true });
  await mkdir(dir).catch(() => {
    throw new KeelsonError(
      "alreadyExists",
      `cluster "${options.name}" already exists`,
      `destroy it first: keelctl cluster destroy --name ${options.name}`,
    );
  });
  const record: ClusterRecord = {
    name: options.name,
    provisioner: "process",
    createdAt: new Date().toISOString(),
    nodes: [],
  };
  try {
    const pki = await writeNodes(record, options, dir);
    await writeClusterRecord(record);
    for (const node of record.nodes) startMachine(node.stateDir);
    await waitReady(record, { ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key }, options);
    await upsertContext(options.configPath, options.name, {
      ca: pki.ca.cert,
      crt: pki.admin.cert,
      key: pki.admin.key,
      endpoints: record.nodes.map((n) => ({ name: n.name, address: n.address, role: n.role })),
      nodes: [],
    });
    return record;
  } catch (error) {
    await stopMachines(record.nodes.map((n) => n.stateDir));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

function validate(options: CreateOptions): void {
  if (!/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(options.name)) {
    throw new KeelsonError(
      "invalidArgument",
      `cluster name "${options.name}" is not a DNS label of up to 32 characters`,
      "use lowercase letters, digits and '-'",
    );
  }
  if (!Number.isInteger(options.controlPlanes) || options.controlPlanes < 1) {
    throw new KeelsonError("invalidArgument", "a cluster needs at least one control plane");
  }
  if (
    !Number.isInteger(options.workers) ||
    options.workers < 0 ||
    options.controlPlanes + options.workers > 250
  ) {
    throw new KeelsonError(
      "invalidArgument",
      "workers must be 0 or more, and the cluster at most 250 nodes",
    );
  }
}

async function writeNodes(record: ClusterRecord, options: CreateOptions, dir: string) {
  const ca = await createCa(`keelson-${options.name}`);
  const admin = await issue(
    { commonName: "admin", organizations: ["os:admin"], usage: "client" },
    ca,
  );
  const roles = [
    ...Array(options.controlPlanes).fill("controlplane"),
    ...Array(options.workers).fill("worker"),
  ] as const;
  const subnet = await pickSubnet(roles.length, apiPort, new Set());
  let cp = 0;
  let worker = 0;
  for (const [index, role] of roles.entries()) {
    const name = role === "controlplane" ? `cp-${++cp}` : `worker-${++worker}`;
    const address = nodeAddress(subnet, index);
    const stateDir = join(dir, "nodes", name);
    await writeNodeState(
      stateDir,
      { name, role, cluster: options.name, address, port: apiPort },
      ca,
    );
    record.nodes.push({ name, role, address, stateDir });
  }
  return { ca, admin };
}

async function writeNodeState(
  stateDir: string,
  identity: { name: string; role: string; cluster: string; address: string; port: number },
  ca: PemPair,
): Promise<void> {
  const server = await issue(
    {
      commonName: identity.name,
      hosts: [identity.address, identity.name, "localhost"],
      usage: "server",
    },
    ca,
  );
  await mkdir(join(stateDir, "pki"), { recursive: true, mode: 0o700 });
  await writeFile(
    join(stateDir, "node.json"),
    JSON.stringify({ ...identity, platform: "process" }, null, 2),
  );
  await writeFile(
    join(stateDir, "image.json"),
    JSON.stringify({ version: keelsonVersion, slot: "A" }),
  );
  await writeFile(join(stateDir, "pki", "ca.crt"), ca.cert);
  await writeFile(join(stateDir, "pki", "server.crt"), server.cert);
  await writeFile(join(stateDir, "pki", "server.key"), server.key, { mode: 0o600 });
  if (identity.role === "controlplane")
    await writeFile(join(stateDir, "pki", "ca.key"), ca.key, { mode: 0o600 });
}

function startMachine(stateDir: string): void {
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

async function waitReady(
  record: ClusterRecord,
  credentials: Credentials,
  options: CreateOptions,
): Promise<void> {
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  await Promise.all(
    record.nodes.map(async (node) => {
      options.onProgress?.(node.name, "starting");
      while (Date.now() < deadline) {
        const connection = connectMachine(`${node.address}:${apiPort}`, credentials, 2000);
        try {
          await connection.client.version({});
          options.onProgress?.(node.name, "ready");
          return;
        } catch {
          await sleep(100);
        } finally {
          connection.close();
        }
      }
      throw new KeelsonError(
        "deadlineExceeded",
        `node ${node.name} did not answer within the timeout`,
        `see its console: ${join(node.stateDir, "console.log")}`,
      );
    }),
  );
}
