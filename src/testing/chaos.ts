import { type Dirent, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { HealthResponse } from "../machinery/api/gen/keelson/machine/v1/machine_pb";
import { type Credentials, connectMachine, waitUntilReady } from "../machinery/client";
import { KeelsonError } from "../machinery/errors";
import { Cgroup } from "../machinery/linux/cgroup";
import { processesNaming } from "../machinery/linux/processes-naming";
import { nodeCgroupPath } from "../provisioners/process/node-state";
import { survivors } from "./leaks";

/** What a trial does to a node at a random moment of its boot or its work. */
export type ChaosAction = "reboot" | "kill-agent" | "kill-containerd";

export interface ChaosNode {
  name: string;
  role: "controlplane" | "worker";
  address: string;
  stateDir: string;
}

export interface ChaosOptions {
  credentials: Credentials;
  /** Which services the node runs, to know how many processes of each a healthy node has. */
  kubelet: boolean;
  containerRuntime: boolean;
  etcd: boolean;
  /** The random moment is drawn from [0, maxDelayMs) after a reboot began. */
  maxDelayMs?: number;
  readyTimeoutMs?: number;
}

export interface TrialResult {
  node: string;
  /** What was done; a reboot asked of a node whose API was not up yet became a kill of its agent. */
  action: ChaosAction;
  delayMs: number;
  ready: boolean;
  /** From the action until the node was ready again. */
  recoveryMs: number;
  /** Processes that escaped the node's cgroup or run twice: each one a leak. */
  leaks: string[];
  error?: string;
}

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One trial: reboot the node, wait a random moment (so the action lands
 * while it boots, starts containers, joins etcd, or runs), act, then wait
 * until it is ready again and check that nothing of any boot leaked.
 */
export async function chaosTrial(
  node: ChaosNode,
  wanted: ChaosAction,
  random: () => number,
  options: ChaosOptions,
): Promise<TrialResult> {
  const delayMs = Math.floor(random() * (options.maxDelayMs ?? 4000));
  const result: TrialResult = {
    node: node.name,
    action: wanted,
    delayMs,
    ready: false,
    recoveryMs: 0,
    leaks: [],
  };
  try {
    await act(node, "reboot", options);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const started = Date.now();
    result.action = await act(node, wanted, options);
    await waitUntilReady(() => health(node, options), {
      timeoutMs: options.readyTimeoutMs ?? 120_000,
      // Ready in a boot (or a containerd run) that began after the action.
      accept: (h) =>
        changedSince(h, result.action === "kill-containerd" ? "containerd" : "apid", started),
    });
    result.recoveryMs = Date.now() - started;
    result.ready = true;
    result.leaks = leaksOf(node, options);
  } catch (error) {
    result.error = withServiceLog(node, KeelsonError.from(error).message);
  }
  return result;
}

/**
 * A readiness error naming a service gets that service's last log lines (the
 * agent's log of it, and its container's): the node is gone after the run.
 */
function withServiceLog(node: ChaosNode, message: string): string {
  const service = /waiting for (\w+)/.exec(message)?.[1];
  const tails = service
    ? findFiles(node.stateDir, `${service}.log`, 4).map((log) => {
        const lines = readFileSync(log, "utf8").trimEnd().split("\n");
        return `${log}:\n${lines.slice(-20).join("\n")}`;
      })
    : [];
  return [message, ...tails].join("\n");
}

function findFiles(dir: string, name: string, depth: number): string[] {
  let entries: Dirent[] = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {}
  return entries.flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isFile()) return e.name === name ? [path] : [];
    return e.isDirectory() && depth > 0 ? findFiles(path, name, depth - 1) : [];
  });
}

async function health(node: ChaosNode, options: ChaosOptions): Promise<HealthResponse> {
  const connection = connectMachine(`${node.address}:50000`, options.credentials, 2000);
  try {
    return await connection.client.health({});
  } finally {
    connection.close();
  }
}

function changedSince(health: HealthResponse, service: string, since: number): boolean {
  const changed = health.services.find((s) => s.id === service)?.lastChange;
  return changed !== undefined && Number(changed.seconds) * 1000 + changed.nanos / 1e6 >= since;
}

/** Does it; a reboot of a node whose API does not answer yet is a reset (kill of its agent) instead. */
async function act(
  node: ChaosNode,
  action: ChaosAction,
  options: ChaosOptions,
): Promise<ChaosAction> {
  if (action === "reboot") {
    const connection = connectMachine(`${node.address}:50000`, options.credentials, 1000);
    try {
      await connection.client.reboot({});
      return "reboot";
    } catch {
      // Not up yet (or already going down): pull the plug instead.
    } finally {
      connection.close();
    }
  }
  const program =
    action === "kill-containerd" ? "/usr/bin/containerd --config" : "keelsond.mjs run";
  for (const p of processesNaming([node.stateDir]))
    if (p.cmdline.includes(program)) process.kill(p.pid, "SIGKILL");
  return action === "kill-containerd" ? "kill-containerd" : "kill-agent";
}

/**
 * What a ready node may run, and nothing more: every process naming it sits
 * in its cgroup, and each service runs once.
 */
export function leaksOf(node: ChaosNode, options: ChaosOptions): string[] {
  const cgroup = new Cgroup(nodeCgroupPath(node.stateDir));
  const inCgroup = new Set(cgroup.pids());
  const leaks = survivors([node])
    .filter((p) => !inCgroup.has(p.pid))
    .map((p) => `escaped its cgroup: ${p.pid} ${p.cmdline.slice(0, 120)}`);
  const expected: Record<string, number> = {
    launcher: 1,
    agent: 1,
    kubelet: options.kubelet ? 1 : 0,
    containerd: options.containerRuntime ? 1 : 0,
    shim: options.containerRuntime ? 1 : 0,
    httpd: options.containerRuntime ? 1 : 0,
    etcd: options.etcd && node.role === "controlplane" ? 1 : 0,
  };
  const counts = countPrograms([...inCgroup]);
  for (const [program, count] of Object.entries(counts))
    if (count > (expected[program] ?? 0))
      leaks.push(`${count} × ${program} (expected ${expected[program] ?? 0})`);
  return leaks;
}

function countPrograms(pids: readonly number[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const pid of pids) {
    const program = programOf(pid);
    if (program) counts[program] = (counts[program] ?? 0) + 1;
  }
  return counts;
}

function programOf(pid: number): string | undefined {
  let cmdline = "";
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return undefined;
  }
  const programs: [string, RegExp][] = [
    ["launcher", /keelson-machine\.mjs/],
    ["agent", /keelsond\.mjs run/],
    ["kubelet", /kubesim\.mjs kubelet/],
    ["shim", /containerd-shim/],
    ["containerd", /^\S*containerd --config/],
    ["httpd", /busybox httpd/],
    ["etcd", /^\S*etcd /],
  ];
  // Anything else (runc for a moment, say) is not a service that could run twice.
  return programs.find(([, pattern]) => pattern.test(cmdline))?.[0];
}
