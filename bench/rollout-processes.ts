/**
 * The rollout benchmark's processes: the fleet (kubesim, the virtual nodes and
 * their agents) forked from rollout-fleet.ts, and the controller as it runs
 * in a cluster; what each costs is read from /proc.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { distPath } from "../src/provisioners/dist-path";
import type { FleetReady, FleetReport, FleetSetup } from "./rollout-fleet";

export type Usage = ReturnType<typeof usageOf>;

/** CPU seconds (user + system) and RSS of a process, from /proc. */
export function usageOf(pid: number): { cpuSeconds: number; rssMiB: number; peakRssMiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return {
    cpuSeconds: ticks / 100,
    rssMiB: Math.round(kib("VmRSS") / 1024),
    peakRssMiB: Math.round(kib("VmHWM") / 1024),
  };
}

/** The fleet process: kubesim, the virtual nodes and their agents. */
export async function startFleet(
  setup: FleetSetup,
): Promise<{ proc: ChildProcess; ready: FleetReady }> {
  const proc = fork(join(import.meta.dirname, "rollout-fleet.ts"), [], {
    execArgv: [...process.execArgv, "--max-old-space-size=2048"],
  });
  proc.send(setup);
  const ready = await new Promise<FleetReady>((resolve, reject) => {
    proc.on("message", (m: { ready?: FleetReady }) => m.ready && resolve(m.ready));
    proc.once("exit", (code) => reject(new Error(`the fleet process exited ${code}`)));
  });
  return { proc, ready };
}

export function fleetReport(proc: ChildProcess): Promise<FleetReport> {
  return new Promise((resolve) => {
    const on = (m: { report?: FleetReport }) => {
      if (!m.report) return;
      proc.off("message", on);
      resolve(m.report);
    };
    proc.on("message", on);
    proc.send("report");
  });
}

/** The controller as it runs in a cluster: its own process, a kubeconfig and an os:upgrader certificate. */
export async function startController(
  dir: string,
  kubeconfig: string,
  flags: readonly string[],
): Promise<ChildProcess> {
  const proc = spawn(
    process.execPath,
    [
      ...flags,
      process.env.ROLLOUT_BENCH_CONTROLLER || distPath("keelson-controller.mjs"),
      "--kubeconfig",
      kubeconfig,
      "--credentials",
      join(dir, "upgrader"),
      "--lease-namespace",
      "keelson-system",
      "--identity",
      "bench",
      "--metrics-address",
      "127.0.0.1:0",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const log = createWriteStream(join(dir, "controller.log"));
  proc.stderr?.pipe(log);
  await new Promise<void>((resolve, reject) => {
    proc.stdout?.on("data", (d: Buffer) => {
      log.write(d);
      if (d.toString().includes(": leading")) resolve();
    });
    proc.once("exit", (code) => reject(new Error(`the controller exited ${code}`)));
  });
  return proc;
}
