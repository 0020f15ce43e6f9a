import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { KeelsonError } from "../../machinery/errors";
import type { EventLog } from "../events";
import type { LinkState, NetworkPlan } from "./network-plan";

const run = promisify(execFile);

/** Where the metal image keeps what the agent drives for it. */
export interface MetalNetworkPaths {
  /** keelson-init, whose `network` and `dhcp` modes set links by ioctl. */
  tool: string;
  /** /sys/class/net: the node's links. */
  links: string;
  /** /etc/resolv.conf, on the tmpfs /etc. */
  resolvConf: string;
}

export const metalNetworkPaths: MetalNetworkPaths = {
  tool: "/usr/lib/keelson/keelson-init",
  links: "/sys/class/net",
  resolvConf: "/etc/resolv.conf",
};

interface Lease {
  link: string;
  address: string;
  router: string;
  dns: string[];
  leaseSeconds: number;
}

/**
 * The metal image's network: static links set through `keelson-init network`,
 * a `keelson-init dhcp` client kept running per DHCP link (started again when
 * it ends), and resolv.conf written from the configuration's name servers or
 * else the leases'. Applying a new plan stops the clients it no longer needs.
 */
export class MetalNetwork {
  private readonly clients = new Map<string, ChildProcess>();
  private readonly leases = new Map<string, Lease>();
  /** The static settings each link was last given. */
  private readonly applied = new Map<string, string>();
  private nameservers: string[] = [];
  private stopped = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly events: EventLog,
    private readonly paths: MetalNetworkPaths = metalNetworkPaths,
  ) {}

  /**
   * The machine's network links (those backed by a device: no loopback,
   * bridges or tunnels), and whether each has an IPv4 address of its own: an
   * address a DHCP client of ours leased does not count, so a plan made
   * again keeps that client.
   */
  links(): LinkState[] {
    const addressed = networkInterfaces();
    return readdirSync(this.paths.links)
      .filter((name) => existsSync(join(this.paths.links, name, "device")))
      .sort()
      .map((name) => ({
        name,
        addressed:
          !this.clients.has(name) && (addressed[name] ?? []).some((a) => a.family === "IPv4"),
      }));
  }

  /** Plans are applied one after another, each against what the previous left. */
  apply(plan: NetworkPlan): Promise<void> {
    const next = this.queue.then(() => this.applyNow(plan));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async applyNow(plan: NetworkPlan): Promise<void> {
    const dhcp = new Set(plan.links.filter((l) => l.dhcp).map((l) => l.link));
    for (const [link, client] of this.clients)
      if (!dhcp.has(link)) {
        this.clients.delete(link);
        this.leases.delete(link);
        client.kill();
      }
    for (const l of plan.links) {
      if (l.dhcp) {
        // Static before: its addresses and routes go first, so the lease is all the link has.
        if (this.applied.has(l.link)) await this.setLink(l.link, []);
        this.applied.delete(l.link);
        if (!this.clients.has(l.link)) this.startClient(l.link);
      } else if (this.applied.get(l.link) !== l.settings.join(" ")) {
        // Set only when changed: setting a link replaces its addresses, a blink on it.
        await this.setLink(l.link, l.settings);
      }
    }
    this.nameservers = plan.nameservers;
    this.writeResolvConf();
  }

  private async setLink(link: string, settings: string[]): Promise<void> {
    this.applied.delete(link);
    try {
      await run(this.paths.tool, ["network", link, ...settings]);
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr?.trim();
      throw new KeelsonError(
        "failedPrecondition",
        `network link ${link}: ${stderr || (error as Error).message}`,
      );
    }
    this.applied.set(link, settings.join(" "));
    this.events.record({
      kind: "node",
      subject: "network",
      message: `${link}: ${settings.join(" ") || "up, no address"}`,
    });
  }

  stop(): void {
    this.stopped = true;
    for (const client of this.clients.values()) client.kill();
    this.clients.clear();
  }

  private startClient(link: string): void {
    const client = spawn(this.paths.tool, ["dhcp", link], { stdio: ["ignore", "pipe", "pipe"] });
    this.clients.set(link, client);
    const current = () => this.clients.get(link) === client && !this.stopped;
    // A client stopped since may still have a line buffered: its lease is no longer ours.
    createInterface({ input: client.stdout }).on("line", (line) => {
      if (current()) this.leased(line);
    });
    let why = "";
    client.stderr.on("data", (chunk: Buffer) => {
      why = chunk.toString().trim();
    });
    // It failed to start (no error event is followed by exit) or it ended: either way, once.
    const ended = (code: number | null, error?: Error) => {
      if (!current()) return;
      this.clients.delete(link);
      this.events.record({
        kind: "node",
        subject: "network",
        message: `${link}: the DHCP client ended (${error?.message || why || `exit ${code}`}); starting it again in 5 s`,
      });
      setTimeout(() => {
        if (!this.stopped && !this.clients.has(link)) this.startClient(link);
      }, 5000).unref();
    };
    client.once("error", (error) => ended(null, error));
    client.once("exit", (code) => ended(code));
  }

  private leased(line: string): void {
    let lease: Lease;
    try {
      lease = JSON.parse(line) as Lease;
    } catch {
      return;
    }
    const before = this.leases.get(lease.link);
    this.leases.set(lease.link, lease);
    if (before?.address !== lease.address)
      this.events.record({
        kind: "node",
        subject: "network",
        message: `${lease.link}: DHCP lease ${lease.address}${lease.router ? ` via ${lease.router}` : ""} for ${lease.leaseSeconds} s`,
      });
    this.writeResolvConf();
  }

  /** Written aside and renamed: a resolver never reads half a file. */
  private writeResolvConf(): void {
    const servers = this.nameservers.length
      ? this.nameservers
      : [...new Set([...this.leases.values()].flatMap((l) => l.dns))];
    const text = `# Written by keelsond from the machine configuration or the DHCP leases.\n${servers.map((s) => `nameserver ${s}\n`).join("")}`;
    try {
      if (readFileSync(this.paths.resolvConf, "utf8") === text) return;
    } catch {
      // Not written yet.
    }
    const partial = join(this.paths.resolvConf, "..", ".resolv.conf.partial");
    writeFileSync(partial, text);
    renameSync(partial, this.paths.resolvConf);
  }
}
