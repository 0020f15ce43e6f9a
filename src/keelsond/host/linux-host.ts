import { hostname } from "node:os";
import type { Host } from "./host";
import { readAddresses } from "./linux/addresses";
import { readCpu } from "./linux/cpu";
import { readDisks } from "./linux/disks";
import { type DmesgOptions, readDmesg } from "./linux/dmesg";
import { readKernel, readUptimeSeconds } from "./linux/kernel";
import { readLinks } from "./linux/links";
import { readMemory } from "./linux/memory";
import { readMounts } from "./linux/mounts";
import { readProcesses } from "./linux/processes";
import { readRoutes } from "./linux/routes";
import { readTime } from "./linux/time";

export interface LinuxHostOptions {
  /** The kernel log device; tests point it elsewhere to exercise the unavailable path. */
  kmsgPath?: string;
}

/**
 * The Host of a real Linux machine. Everything is read on demand, nothing is
 * cached, so an idle agent holds no host state in memory.
 */
export class LinuxHost implements Host {
  private readonly kmsgPath: string;

  constructor(options: LinuxHostOptions = {}) {
    this.kmsgPath = options.kmsgPath ?? "/dev/kmsg";
  }

  /** uname's nodename, the same value as /proc/sys/kernel/hostname. */
  async hostname() {
    return hostname();
  }

  kernel() {
    return readKernel();
  }

  uptimeSeconds() {
    return readUptimeSeconds();
  }

  async processes() {
    return { processes: await readProcesses() };
  }

  memory() {
    return readMemory();
  }

  cpu() {
    return readCpu();
  }

  async mounts() {
    return { mounts: await readMounts() };
  }

  async disks() {
    return { disks: await readDisks() };
  }

  async links() {
    return { links: await readLinks() };
  }

  async addresses() {
    return { addresses: await readAddresses() };
  }

  async routes() {
    return { routes: await readRoutes() };
  }

  time() {
    return readTime();
  }

  dmesg(options: DmesgOptions) {
    return readDmesg(this.kmsgPath, options);
  }
}
