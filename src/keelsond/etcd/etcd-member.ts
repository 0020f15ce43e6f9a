import { existsSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { KeelsonError } from "../../machinery/errors";
import type { PemPair } from "../../machinery/pki";
import type { LogWriter, ServiceSpec } from "../supervisor";
import { type CertSubject, writeEtcdCertificates } from "./etcd-certs";
import { EtcdClient } from "./etcd-client";
import { etcdFlags } from "./etcd-flags";
import { type EtcdPaths, etcdPaths } from "./etcd-paths";
import { EtcdRunner } from "./etcd-runner";
import { etcdService } from "./etcd-service";
import type { EtcdTls } from "./gateway-request";
import { type FoundCluster, findCluster, type Peer } from "./join-cluster";
import { planStart } from "./plan-start";
import type { Launch } from "./start-plan";
import { Wakeup } from "./wakeup";

export interface EtcdMemberOptions {
  /** The node's state dir; etcd's data and certificates go under `etcd/`. */
  stateDir: string;
  /** The node's address, where etcd listens (client and peer ports). */
  address: string;
  /** The node's name now: it may change with a live configuration change. */
  name: () => string;
  /** The other control planes, where a running cluster to join is looked for. */
  peers: () => readonly Peer[];
  /** The etcd CA from the machine configuration (with its key). */
  ca: () => { crt: string; key?: string } | undefined;
  extraArgs?: () => Readonly<Record<string, string>>;
  /** Keeps members of different clusters from joining each other by mistake. */
  clusterToken?: string;
  binary?: string;
  clientPort?: number;
  peerPort?: number;
  /** Deadline of the agent's etcd calls (default 5 s). */
  callTimeoutMs?: number;
  /** How often a waiting member looks again for a cluster to join (default 2 s). */
  retryMs?: number;
  healthIntervalMs?: number;
}

/**
 * The node's etcd member: its paths, its client, the supervisor's service
 * spec that runs it, and the state the API acts on (bootstrap, leave). The
 * service spec and the etcd handlers share this one object.
 */
export class EtcdMember {
  readonly paths: EtcdPaths;
  readonly client: EtcdClient;
  readonly spec: ServiceSpec;
  readonly binary: string;
  /** Why the member is not starting etcd, while it waits; undefined otherwise. */
  waitingReason: string | undefined;
  /** Why etcd last exited with a failure; cleared when it answers again. */
  lastFailure: string | undefined;
  /** Set by leave: etcd stays down until the agent starts again. */
  left = false;
  readonly wakeup = new Wakeup();
  private current: EtcdRunner | undefined;
  private credentials: { ca: string; tls: Promise<EtcdTls> } | undefined;

  constructor(readonly options: EtcdMemberOptions) {
    this.paths = etcdPaths(options.stateDir);
    this.binary = options.binary ?? "/usr/bin/etcd";
    this.client = this.clientAt(this.clientUrl(options.address));
    this.spec = etcdService(this, () => {
      this.current = new EtcdRunner(this);
      return this.current;
    });
  }

  self(): CertSubject {
    return { name: this.options.name(), address: this.options.address };
  }

  clientUrl(address: string): string {
    return `https://${address}:${this.options.clientPort ?? 2379}`;
  }

  peerUrl(address: string): string {
    return `https://${address}:${this.options.peerPort ?? 2380}`;
  }

  clientAt(endpoint: string): EtcdClient {
    return new EtcdClient(endpoint, () => this.tls(), this.options.callTimeoutMs ?? 5000);
  }

  /** The agent's client credentials, issued again when the etcd CA changes. */
  tls(): Promise<EtcdTls> {
    const ca = this.options.ca();
    if (!ca?.key)
      return Promise.reject(
        new KeelsonError(
          "failedPrecondition",
          "the machine configuration has no etcd CA key",
          "control planes need etcd.ca.crt and etcd.ca.key",
        ),
      );
    if (this.credentials?.ca !== ca.crt) {
      const pair: PemPair = { cert: ca.crt, key: ca.key };
      const tls = writeEtcdCertificates(this.paths, pair, this.self());
      this.credentials = { ca: ca.crt, tls };
      tls.catch(() => {
        if (this.credentials?.tls === tls) this.credentials = undefined;
      });
    }
    return this.credentials.tls;
  }

  /** Another control plane whose etcd answers, if any. */
  findCluster(signal: AbortSignal): Promise<FoundCluster | undefined> {
    const self = this.self();
    const peers = this.options.peers().filter((p) => p.address !== self.address);
    const clientFor = (peer: Peer) => this.clientAt(this.clientUrl(peer.address));
    return findCluster(peers, clientFor, signal, 2000);
  }

  /** Decides the next start; waits (polling, or woken by bootstrap) while there is none. */
  async nextStart(log: LogWriter, signal: AbortSignal): Promise<Launch | undefined> {
    while (!signal.aborted) {
      await this.tls();
      const plan = await planStart(this, log, signal);
      if (plan.kind !== "wait") {
        this.waitingReason = undefined;
        return plan;
      }
      if (this.waitingReason !== plan.reason) log.line(plan.reason);
      this.waitingReason = plan.reason;
      await this.wakeup.sleep(this.options.retryMs ?? 2000, signal);
    }
    return undefined;
  }

  args(plan: Launch, log: LogWriter): string[] {
    const self = this.self();
    const { args, ignored } = etcdFlags({
      name: self.name,
      clientUrl: this.clientUrl(self.address),
      peerUrl: this.peerUrl(self.address),
      paths: this.paths,
      plan,
      clusterToken: this.options.clusterToken ?? "keelson",
      extraArgs: this.options.extraArgs?.() ?? {},
    });
    if (ignored.length) log.line(`etcd.extraArgs: ignored flags Keelson manages: ${ignored}`);
    return args;
  }

  async markBootstrapped(): Promise<void> {
    await mkdir(this.paths.root, { recursive: true, mode: 0o700 });
    await writeFile(this.paths.bootstrapMarker, `${new Date().toISOString()}\n`);
    this.wakeup.wake();
  }

  bootstrapped(): boolean {
    return existsSync(this.paths.bootstrapMarker);
  }

  /** After leave: stop etcd for good (this boot), then forget the data and the bootstrap. */
  async retire(): Promise<void> {
    this.left = true;
    await this.current?.park(10_000);
    await rm(this.paths.data, { recursive: true, force: true });
    await rm(this.paths.bootstrapMarker, { force: true });
  }
}
