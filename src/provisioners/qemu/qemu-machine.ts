import { type ChildProcess, spawn } from "node:child_process";
import {
  closeSync,
  copyFileSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { KeelsonError } from "../../machinery/errors";
import type { Accelerator } from "./accelerator";
import { ovmf } from "./ovmf";

export interface MachineSpec {
  /** Folder for the machine's own files: its copy of the UEFI variables, its serial log. */
  dir: string;
  disk: string;
  memoryMiB?: number;
  cpus?: number;
  /**
   * What the platform hands the node before any configuration, as QEMU
   * fw_cfg entries (opt/keelson/NAME): platform.json, user-data.yaml,
   * network ("ADDRESS/PREFIX GATEWAY").
   */
  platform?: Record<string, string>;
  /** A host address whose port 50000 reaches the node's API (user-mode networking). */
  apiAddress?: string;
  /**
   * Guest "IP:PORT"s whose every connection QEMU hands to a command of the
   * host (its standard input and output are the connection): how a guest
   * reaches a host service such as kubesim. A `tcp:` chardev would carry
   * every connection over one stream.
   */
  guestForwards?: { guest: string; command: string[] }[];
  /** KVM or TCG, as accelerator() found (default TCG). */
  accelerator?: Accelerator;
  /**
   * Killed when this process ends, even by SIGTERM (a test runner's timeout):
   * for tests. A cluster's machines outlive the command that started them.
   */
  diesWithParent?: boolean;
  /**
   * A second link (eth1) on a network the machines of a cluster share: a
   * QEMU socket network over loopback multicast (no root, no bridge). Each
   * machine on it needs its own MAC address.
   */
  clusterNetwork?: { group: string; port: number; mac: string };
  /** Runs on after this process ends (a cluster's machines); its PID is written to `dir`/machine.pid. */
  detached?: boolean;
}

/** The serial console's log in a machine's folder, named as a process node's console. */
export const consoleLog = "console.log";

/** The address QEMU's user-mode network gives a guest, and its gateway. */
export const userNetwork = { address: "10.0.2.15", prefix: 24, gateway: "10.0.2.2" };

/**
 * What the platform hands a node on the user-mode network: its platform
 * record (`record` adds to it), its address, and its user data when given.
 */
export function userNetworkPlatform(
  record: Record<string, unknown>,
  userData?: string,
): Record<string, string> {
  return {
    "platform.json": JSON.stringify({ platform: "qemu", address: userNetwork.address, ...record }),
    network: `${userNetwork.address}/${userNetwork.prefix} ${userNetwork.gateway}`,
    ...(userData === undefined ? {} : { "user-data.yaml": userData }),
  };
}

/**
 * One virtual machine as the image boots on metal: UEFI (OVMF, with its own
 * writable variable store, where systemd-boot keeps what it reports, kept in
 * `dir` across power-ons as a machine keeps its NVRAM), the
 * disk on virtio, QEMU's i6300esb watchdog and a virtio RNG, and the serial
 * console in a log file. KVM or software emulation (TCG), as the probe in
 * accelerator.ts decides. A reboot is a new boot of the same machine, as on
 * metal.
 */
export class QemuMachine {
  readonly serialLog: string;
  private readonly child: ChildProcess;
  private exited: Promise<number | null>;

  constructor(spec: MachineSpec) {
    const vars = join(spec.dir, "OVMF_VARS.fd");
    // A fresh store makes OVMF enumerate and write its boot options (about a second under TCG): only at a machine's first power-on.
    if (!existsSync(vars)) copyFileSync(ovmf.vars, vars);
    this.serialLog = join(spec.dir, consoleLog);
    // QEMU truncates the log only once it runs: what an earlier power-on printed must not be read as this one's.
    rmSync(this.serialLog, { force: true });
    // biome-ignore format: one QEMU option and its value per line
    const args = [
      "-machine", "q35", "-accel", spec.accelerator ?? "tcg",
      "-m", String(spec.memoryMiB ?? 1024), "-smp", String(spec.cpus ?? 2),
      "-drive", `if=pflash,format=raw,readonly=on,file=${ovmf.code}`,
      "-drive", `if=pflash,format=raw,file=${vars}`,
      "-drive", `file=${spec.disk},format=raw,if=none,id=disk`,
      "-device", "virtio-blk-pci,drive=disk,bootindex=0",
      "-device", "i6300esb", "-device", "virtio-rng-pci",
      ...network(spec.apiAddress, spec.guestForwards ?? []),
      ...clusterLink(spec.clusterNetwork),
      ...platformEntries(spec.dir, spec.platform ?? {}),
      "-serial", `file:${this.serialLog}`,
      "-monitor", "none", "-display", "none", "-nodefaults",
      "-pidfile", join(spec.dir, "machine.pid"),
    ];
    // What QEMU says on standard error (a bad option, a port it cannot bind) is kept beside the console.
    const errors = openSync(join(spec.dir, "qemu.log"), "a");
    this.child = spawn("qemu-system-x86_64", args, {
      stdio: ["ignore", "ignore", errors],
      detached: spec.detached ?? false,
    });
    closeSync(errors);
    // Without QEMU installed, spawning fails: said by exited(), never an uncaught error.
    this.child.on("error", () => {});
    if (spec.detached) this.child.unref();
    this.exited = new Promise((resolve) => this.child.once("exit", (code) => resolve(code)));
    if (spec.diesWithParent) killedWithParent(this.child);
  }

  console(): string {
    try {
      return readFileSync(this.serialLog, "utf8");
    } catch {
      return "";
    }
  }

  /** Resolves with the match once the console shows `pattern`; rejects at the deadline with the console's end. */
  async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.console().match(pattern);
      if (match) return match;
      if (Date.now() > deadline)
        throw new Error(
          `the console did not show ${pattern} in ${timeoutMs} ms; it ends with:\n${this.console().slice(-3000)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /**
   * Resolves once QEMU has run for `ms` (it took its options and bound its
   * ports); rejects with what it said when it ended before that.
   */
  async started(ms = 2000): Promise<void> {
    const ended = await Promise.race([
      this.exited.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), ms)),
    ]);
    if (!ended && this.child.pid !== undefined) return;
    let said = "";
    try {
      said = readFileSync(join(dirname(this.serialLog), "qemu.log"), "utf8").trim();
    } catch {
      // Nothing written.
    }
    throw new KeelsonError(
      "unavailable",
      `QEMU did not start: ${said.split("\n").slice(-3).join(" ") || "qemu-system-x86_64 could not be run"}`,
      "install QEMU and OVMF (apt-get install qemu-system-x86 ovmf)",
    );
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) this.child.kill("SIGKILL");
    await this.exited;
  }
}

function network(
  apiAddress: string | undefined,
  forwards: MachineSpec["guestForwards"] & {},
): string[] {
  if (!apiAddress) return ["-nic", "none"];
  const guestfwd = forwards
    .map((f) => `,guestfwd=tcp:${f.guest}-cmd:${f.command.join(" ")}`)
    .join("");
  // No option ROM: the firmware would load iPXE for a network boot that never happens.
  return [
    "-netdev",
    `user,id=net0,hostfwd=tcp:${apiAddress}:50000-:50000${guestfwd}`,
    "-device",
    "virtio-net-pci,netdev=net0,romfile=",
  ];
}

function clusterLink(link: MachineSpec["clusterNetwork"]): string[] {
  if (!link) return [];
  return [
    "-netdev",
    `socket,id=net1,mcast=${link.group}:${link.port},localaddr=127.0.0.1`,
    "-device",
    `virtio-net-pci,netdev=net1,mac=${link.mac},romfile=`,
  ];
}

/** Each entry as a file of the machine's folder, named in QEMU's fw_cfg as opt/keelson/NAME. */
function platformEntries(dir: string, entries: Record<string, string>): string[] {
  return Object.entries(entries).flatMap(([name, content]) => {
    const file = join(dir, `fw_cfg-${name}`);
    writeFileSync(file, content);
    return ["-fw_cfg", `name=opt/keelson/${name},file=${file}`];
  });
}

function killedWithParent(child: ChildProcess): void {
  const kill = () => {
    if (child.exitCode === null) child.kill("SIGKILL");
  };
  const terminated = () => {
    kill();
    process.exit(143);
  };
  process.once("exit", kill);
  process.once("SIGTERM", terminated);
  child.once("exit", () => {
    process.off("exit", kill);
    process.off("SIGTERM", terminated);
  });
}
