import assert from "node:assert/strict";
import { createPublicKey } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { generateSigningKey } from "../../machinery/bundle";
import { type Credentials, connectMachine, upgradeOutcome } from "../../machinery/client";
import { KeelsonError } from "../../machinery/errors";
import { createCa, issue } from "../../machinery/pki";
import { allocateLoopbackSubnet } from "../../machinery/platform/loopback-subnet";
import { nodes } from "../resources/core/node";
import {
  type BundleServer,
  eventually,
  startBundleServer,
  startTestCluster,
  type TestCluster,
} from "../testing";
import { startVirtualAgents, type VirtualAgents } from "./virtual-agents";

/** A virtual node's agent answers the upgrade controller's calls as a real node would. */
describe("virtual agent", () => {
  let dir: string;
  let c: TestCluster;
  let agents: VirtualAgents;
  let http: BundleServer;
  let upgrader: Credentials;
  let reader: Credentials;
  let address: string;
  const bundles: Record<string, { url: string; sha256: string }> = {};

  async function call<T>(
    who: Credentials,
    fn: (client: ReturnType<typeof connectMachine>["client"]) => Promise<T>,
  ): Promise<T> {
    const connection = connectMachine(`${address}:50000`, who, 5000);
    try {
      return await fn(connection.client);
    } finally {
      connection.close();
    }
  }

  const stage = (version: string, sha256?: string) =>
    call(upgrader, async (client) => {
      const phases: string[] = [];
      const { url, sha256: digest } = bundles[version] ?? assert.fail(version);
      for await (const p of client.upgrade({
        source: { case: "url", value: url },
        sha256: sha256 ?? digest,
        stage: true,
        tries: 3,
      }))
        phases.push(`${p.phase}${p.version ? ` ${p.version}` : ""}`);
      return phases;
    });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => assert.fail("expected a refusal"),
      (error: unknown) => KeelsonError.from(error).code,
    );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "virtual-agent-"));
    const subnet = await allocateLoopbackSubnet({ hosts: [1], ports: [50000], owner: dir });
    address = subnet.address(1);
    c = await startTestCluster({
      virtualNodes: 1,
      virtualFleet: { prefix: "v-", node: () => ({ address }) },
    });
    const ca = await createCa("virtual-agent test CA");
    const client = async (role: string) => ({
      ca: ca.cert,
      ...(await issue({ commonName: role, organizations: [role], usage: "client" }, ca)),
    });
    upgrader = await client("os:upgrader");
    reader = await client("os:reader");
    const key = generateSigningKey();
    http = await startBundleServer(dir, key);
    for (const version of ["0.0.9", "0.2.0"]) bundles[version] = await http.bundle(version);
    agents = await startVirtualAgents({
      fleet: c.sim.fleet ?? assert.fail("no fleet"),
      ca,
      trustedKeys: [createPublicKey(key.publicKey)],
      version: "0.1.0",
      spoolDir: dir,
      node: () => ({ address, rebootMs: 300 }),
    });
  });

  after(async () => {
    await agents?.close();
    http?.close();
    await c?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("stages a signed bundle from a URL into the inactive slot, and a cancel disarms it", async () => {
    const before = await call(upgrader, (client) => client.bootState({}));
    assert.deepEqual(
      [before.runningSlot, before.runningVersion, before.runningCommitted, before.nextSlot],
      ["A", "0.1.0", true, "A"],
    );
    const phases = await stage("0.2.0");
    assert.deepEqual(phases, ["fetch", "verify 0.2.0", "arm 0.2.0", "staged 0.2.0"]);
    const staged = await call(upgrader, (client) => client.bootState({}));
    assert.equal(staged.nextSlot, "B");
    assert.deepEqual(
      staged.slots.map((s) => [s.name, s.version, s.committed, s.triesLeft]),
      [
        ["A", "0.1.0", true, -1],
        ["B", "0.2.0", false, 3],
      ],
    );
    const cancelled = await call(upgrader, (client) => client.cancelUpgrade({}));
    assert.equal(cancelled.version, "0.2.0");
    assert.equal((await call(upgrader, (client) => client.bootState({}))).nextSlot, "A");
  });

  it("refuses a wrong digest, a downgrade and a caller without the role", async () => {
    assert.equal(await refusal(stage("0.2.0", "0".repeat(64))), "invalidArgument");
    assert.equal(await refusal(stage("0.0.9")), "failedPrecondition");
    assert.equal(await refusal(call(reader, (client) => client.reboot({}))), "permissionDenied");
  });

  it("reboots into the staged slot: down for the reboot, a new boot ID on the API and the Node, then committed", async () => {
    await stage("0.2.0");
    const { bootId } = await call(upgrader, (client) => client.health({}));
    const nodeBootId = () =>
      (c.sim.registry.tryGet(nodes, "", "v-0") as { status?: { nodeInfo?: { bootID?: string } } })
        ?.status?.nodeInfo?.bootID;
    const nodeBefore = nodeBootId();
    const since = new Date();
    await call(upgrader, (client) => client.reboot({}));
    await eventually("the API down", () =>
      call(upgrader, (client) => client.health({})).then(
        () => false,
        () => true,
      ),
    );
    const state = await eventually("0.2.0 committed", async () => {
      const s = await call(upgrader, (client) => client.bootState({}));
      return upgradeOutcome(s, "0.2.0", since).outcome === "committed" ? s : undefined;
    });
    assert.deepEqual([state.runningSlot, state.nextSlot], ["B", "B"]);
    const after = await call(upgrader, (client) => client.health({}));
    assert.notEqual(after.bootId, bootId);
    assert.equal(after.bootOnTrial, false);
    assert.ok(nodeBefore);
    assert.notEqual(nodeBootId(), nodeBefore, "the Node reports the new boot");
  });
});
