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
import { distPath } from "../../dist-path";

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
  private poweringOff = false;
  private readonly cgroups: NodeCgroups | undefined;

  constructor(
    private readonly stateDir: string,
    private readonly serial: number,
  ) {
    this.cgroups = this.setUpCgroups();
  }

  powerOn(): void {
    // The agent is forked inside its cgroup: the launcher steps in for the spawn and out again.
    this.cgroups?.os.add();
    const agent = spawn(
      process.execPath,
      [...agentNodeFlags, distPath("keelsond.mjs"), "run", "--state-dir", this.stateDir],
      { stdio: ["ignore", this.serial, this.serial], env: { ...process.env, ...agentEnv } },
    );
    this.cgroups?.machine.add();
    this.agent = agent;
    agent.once("exit", (code, signal) => void this.afterExit(code, signal));
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
    this.say(`agent ${signal ? `killed by ${signal}` : `exited with code ${code}`}: resetting`);
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

  private setUpCgroups(): NodeCgroups | undefined {
    const path = readPlatformCgroup(this.stateDir);
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

function readPlatformCgroup(stateDir: string): string | undefined {
  try {
    const platform = JSON.parse(readFileSync(join(stateDir, "platform.json"), "utf8"));
    return typeof platform.cgroup === "string" ? platform.cgroup : undefined;
  } catch {
    return undefined;
  }
}
