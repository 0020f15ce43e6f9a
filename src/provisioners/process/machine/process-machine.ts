import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { KeelsonError } from "../../../machinery/errors";
import { Cgroup } from "../../../machinery/linux/cgroup";
import { killProcessesNaming } from "../../../machinery/linux/processes-naming";
import { unmountUnder } from "../../../machinery/linux/unmount-under";
import { exitCodes } from "../../../machinery/platform/exit-codes";
import { agentEnv, agentNodeFlags } from "../../../machinery/platform/runtime-flags";
import { volatileDir } from "../../../machinery/platform/volatile-dir";
import { type BootTarget, Firmware } from "./firmware";

/**
 * A node's cgroups: the launcher's own, the agent's with every process it
 * starts, and its containers' (runc places them under the parent the agent
 * gives containerd, which is this one).
 */
interface NodeCgroups {
  machine: Cgroup;
  os: Cgroup;
  containers: Cgroup;
}

/**
 * The "hardware" of a process node. It powers the agent on, and plays what a
 * real reset does for free: before every boot nothing of the last one is
 * left running (the agent's cgroup, containers included, is killed as a
 * whole) or mounted. A reboot comes back at once; a crash after a pause, as
 * a machine with panic=1 would, so a crash loop cannot spin; a power-off
 * (the agent's, or SIGTERM from the provisioner) ends the launcher.
 */
export class ProcessMachine {
  private agent: ChildProcess | undefined;
  private booted: BootTarget | undefined;
  /** Why the machine reset the agent itself (its watchdog), for the boot journal. */
  private resetWhy: string | undefined;
  private poweringOff = false;
  private readonly cgroups: NodeCgroups | undefined;
  private readonly firmware: Firmware;
  private readonly watchdogSeconds: number;

  constructor(
    private readonly stateDir: string,
    private readonly serial: number,
  ) {
    const platform = readPlatform(stateDir);
    this.cgroups = this.setUpCgroups(platform.cgroup);
    this.firmware = new Firmware(stateDir);
    this.watchdogSeconds = platform.watchdogSeconds;
  }

  powerOn(): void {
    const target = this.firmware.boot();
    if (!target) {
      this.say("no bootable entry on the boot partition (no slot holds an image): powered off");
      process.exit(1);
    }
    this.booted = target;
    this.resetWhy = undefined;
    const counted = target.countedAs ? ` (boot counting: ${target.countedAs})` : "";
    this.say(`booting ${target.version} from slot ${target.slot.toUpperCase()}${counted}`);
    // The agent is forked inside its cgroup: the launcher steps in for the spawn and out again.
    this.cgroups?.os.add();
    const agent = spawn(
      process.execPath,
      [...agentNodeFlags, target.program, "run", "--state-dir", this.stateDir],
      {
        stdio: ["ignore", this.serial, this.serial, "pipe"],
        env: {
          ...process.env,
          ...agentEnv,
          KEELSON_WATCHDOG_FD: "3",
          KEELSON_WATCHDOG_SECONDS: String(this.watchdogSeconds),
        },
      },
    );
    this.cgroups?.machine.add();
    this.agent = agent;
    this.armWatchdog(agent);
    agent.once("exit", (code, signal) => void this.afterExit(code, signal));
  }

  /**
   * The machine's watchdog, armed at power-on before any code of the image
   * runs: an agent that does not pet it within the timeout (a hang at start
   * included) is reset.
   */
  private armWatchdog(agent: ChildProcess): void {
    let lastPet = Date.now();
    const pipe = agent.stdio[3] as NodeJS.ReadableStream | null;
    pipe?.on("data", () => {
      lastPet = Date.now();
    });
    pipe?.on("error", () => {});
    const timer = setInterval(() => {
      const silent = (Date.now() - lastPet) / 1000;
      if (silent < this.watchdogSeconds || this.agent !== agent) return;
      clearInterval(timer);
      this.resetWhy = `watchdog: no sign of life from the agent for ${Math.round(silent)} s`;
      this.say(`${this.resetWhy}: resetting`);
      agent.kill("SIGKILL");
    }, 500);
    agent.once("exit", () => clearInterval(timer));
  }

  /** SIGTERM from the provisioner: the agent shuts down gracefully, then the machine is off. */
  powerOff(): void {
    this.poweringOff = true;
    if (this.agent) this.agent.kill("SIGTERM");
    else void this.clear().then(() => process.exit(0));
  }

  private async afterExit(code: number | null, signal: string | null): Promise<void> {
    this.agent = undefined;
    await this.clear();
    if (this.poweringOff || code === exitCodes.poweroff) {
      this.say("powered off");
      process.exit(0);
    }
    if (code === exitCodes.reboot) return this.powerOn();
    const why =
      this.resetWhy ?? `agent ${signal ? `killed by ${signal}` : `exited with code ${code}`}`;
    const booted = this.booted;
    if (booted?.countedAs)
      this.firmware.journal.append({
        event: "reset",
        entry: booted.countedAs,
        slot: booted.slot,
        version: booted.version,
        why,
      });
    if (!this.resetWhy) this.say(`${why}: resetting`);
    setTimeout(() => (this.poweringOff ? process.exit(0) : this.powerOn()), 1000);
  }

  /**
   * What a reset does: every process of the last boot ends, nothing stays
   * mounted, and the volatile part of the state (its /run) is empty.
   */
  private async clear(): Promise<void> {
    try {
      const left = this.cgroups ? await killAll([this.cgroups.os, this.cgroups.containers]) : 0;
      // Without cgroups, what a boot started is found by the state directory it names.
      const named = this.cgroups ? 0 : killProcessesNaming([this.stateDir]);
      if (left + named > 0) this.say(`ended ${left + named} processes left by the last boot`);
      unmountUnder(this.stateDir);
      rmSync(volatileDir(this.stateDir), { recursive: true, force: true });
    } catch (error) {
      this.say(`could not clear the last boot: ${KeelsonError.from(error).message}`);
    }
  }

  private setUpCgroups(path: string | undefined): NodeCgroups | undefined {
    if (!path) return undefined;
    try {
      const node = new Cgroup(path);
      const [machine, os, containers] = ["machine", "os", "containers"].map((n) => node.child(n));
      if (!machine || !os || !containers) return undefined;
      for (const cgroup of [machine, os, containers]) cgroup.create();
      machine.add();
      return { machine, os, containers };
    } catch (error) {
      this.say(
        `no cgroup for this node (${KeelsonError.from(error).message}); processes are tracked by name`,
      );
      return undefined;
    }
  }

  private say(line: string): void {
    writeSync(this.serial, `[machine] ${line}\n`);
  }
}

async function killAll(cgroups: readonly Cgroup[]): Promise<number> {
  const count = cgroups.reduce((sum, cgroup) => sum + cgroup.pids().length, 0);
  await Promise.all(cgroups.map((cgroup) => cgroup.kill()));
  return count;
}

/** What the launcher needs of the platform record: the node's cgroup and its watchdog timeout. */
function readPlatform(stateDir: string): { cgroup?: string; watchdogSeconds: number } {
  try {
    const platform = JSON.parse(readFileSync(join(stateDir, "platform.json"), "utf8"));
    const seconds = Number(platform.boot?.watchdogSeconds);
    return {
      ...(typeof platform.cgroup === "string" ? { cgroup: platform.cgroup } : {}),
      watchdogSeconds: Number.isFinite(seconds) && seconds >= 2 ? seconds : 60,
    };
  } catch {
    return { watchdogSeconds: 60 };
  }
}
