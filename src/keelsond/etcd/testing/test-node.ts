import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PemPair } from "../../../machinery/pki";
import { allocateLoopbackSubnet } from "../../../machinery/platform/loopback-subnet";
import { eventually } from "../../../testing/eventually";
import { type ServiceSpec, type ServiceStatus, Supervisor, TaskRunner } from "../../supervisor";
import { EtcdMember } from "../etcd-member";
import type { Peer } from "../join-cluster";

/** A control plane reduced to its etcd: an EtcdMember under a supervisor of its own. */
export class TestNode {
  readonly stateDir = mkdtempSync(join(tmpdir(), "keelson-etcd-"));
  readonly member: EtcdMember;
  supervisor: Supervisor | undefined;

  constructor(
    readonly name: string,
    readonly address: string,
    ca: PemPair,
    peers: () => readonly Peer[],
  ) {
    this.member = new EtcdMember({
      stateDir: this.stateDir,
      address,
      name: () => name,
      peers,
      ca: () => ({ crt: ca.cert, key: ca.key }),
      clusterToken: "etcd-spec",
      retryMs: 300,
      healthIntervalMs: 300,
    });
  }

  /** Starts etcd, beside a trivial service standing for the rest of the node. */
  start(): void {
    const specs: ServiceSpec[] = [this.member.spec, bystander()];
    this.supervisor = new Supervisor(specs, join(this.stateDir, "logs"), () => {});
    this.supervisor.start();
  }

  async stop(): Promise<void> {
    await this.supervisor?.stop();
    this.supervisor = undefined;
  }

  /** Stops it and removes everything it wrote. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.stateDir, { recursive: true, force: true });
  }

  service(id = "etcd"): ServiceStatus {
    const status = this.supervisor?.list().find((s) => s.id === id);
    if (!status) throw new Error(`${this.name}: no service ${id}`);
    return status;
  }

  /** Waits until `ok` holds, failing with the last status (a cap, not a timing claim). */
  async until(what: string, ok: (etcd: ServiceStatus) => boolean): Promise<void> {
    await eventually(`${this.name}: ${what}`, () => {
      const status = this.service();
      if (!ok(status)) throw new Error(JSON.stringify(status));
      return true;
    });
  }
}

function bystander(): ServiceSpec {
  return {
    id: "bystander",
    restart: "forever",
    runner: () => new TaskRunner(async () => ({ stop: async () => {} })),
  };
}

/** A loopback /24 of its own, free for etcd's ports; etcd listens on its own addresses. */
export async function loopbackSubnet(): Promise<(host: number) => string> {
  const subnet = await allocateLoopbackSubnet({ hosts: [1, 2, 3], ports: [2379, 2380] });
  return subnet.address;
}
