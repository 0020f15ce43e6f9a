import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  EtcdAlarmsRequestSchema,
  EtcdDefragmentRequestSchema,
  EtcdMembersRequestSchema,
  EtcdRemoveMemberRequestSchema,
  EtcdSnapshotRequestSchema,
  EtcdStatusRequestSchema,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { createCa } from "../../machinery/pki";
import { eventually } from "../../testing/eventually";
import { bootstrapEtcd } from "./bootstrap-etcd";
import { etcdHandlers } from "./etcd-handlers";
import { forfeitLeadership } from "./forfeit-leadership";
import { leaveCluster } from "./leave-cluster";
import { membership } from "./member-health";
import { waitingForBootstrap } from "./start-plan";
import { callContext } from "./testing/call-handler";
import { ensureEtcdInstalled } from "./testing/etcd-installed";
import { loopbackSubnet, TestNode } from "./testing/test-node";
import { waitHealthy } from "./wait-healthy";

const skip = ensureEtcdInstalled();
const signal = () => AbortSignal.timeout(20_000);

describe("a 3-member etcd cluster of real etcd processes", { skip }, () => {
  const nodes: TestNode[] = [];
  const at = (i: number) => nodes[i] as TestNode;

  before(async () => {
    const ca = await createCa("etcd-ca");
    const address = await loopbackSubnet();
    const peers = () => nodes.map((n) => ({ name: n.name, address: n.address }));
    for (const i of [1, 2, 3]) nodes.push(new TestNode(`cp-${i}`, address(i), ca, peers));
    for (const node of nodes) node.start();
  });

  after(async () => {
    await Promise.all(nodes.map((n) => n.dispose()));
  });

  it("waits for a bootstrap, with the reason in its health message", async () => {
    for (const node of nodes)
      await node.until("waiting", (s) => s.healthMessage === waitingForBootstrap);
  });

  it("forms on bootstrap of one node; the others join on their own", async () => {
    const message = await bootstrapEtcd(at(0).member, signal());
    assert.match(message, /bootstrapped etcd: cp-1 \(member [0-9a-f]+\)/);
    for (const node of nodes) await waitHealthy(node.member, undefined, 60_000);
    for (const node of nodes) await node.until("healthy", (s) => s.healthy);
    // A member that joined shows its name once it has published it through raft.
    const { members, quorum } = await eventually("three named members", async () => {
      const seen = await membership(at(1).member, signal());
      return seen.members.every((m) => m.name) && seen;
    });
    assert.equal(quorum, true);
    assert.deepEqual(members.map((m) => m.name).sort(), ["cp-1", "cp-2", "cp-3"]);
    assert.ok(members.every((m) => m.healthy));
  });

  it("refuses a second bootstrap", async () => {
    await assert.rejects(bootstrapEtcd(at(0).member, signal()), /already bootstrapped/);
    await assert.rejects(bootstrapEtcd(at(1).member, signal()), /already/);
  });

  it("replicates a key written through one member to the others", async () => {
    await at(1).member.client.put("/keelson/spec", "hello");
    // A member serves what it has applied; a follower may be a moment behind.
    await eventually(
      "cp-3 to have the key",
      async () => (await at(2).member.client.get("/keelson/spec")) === "hello",
    );
  });

  it("serves the etcd RPCs through its handlers", async () => {
    const api = etcdHandlers({ etcd: at(0).member });
    const members = await api.etcdMembers?.(create(EtcdMembersRequestSchema), callContext());
    assert.equal(members?.quorum, true);
    assert.equal(members?.members?.length, 3);
    assert.ok(members?.members?.every((m) => m.healthy && /^[0-9a-f]+$/.test(m.id ?? "")));
    const status = await api.etcdStatus?.(create(EtcdStatusRequestSchema), callContext());
    assert.equal(status?.version, "3.4.23");
    assert.match(status?.leaderId ?? "", /^[0-9a-f]+$/);
    const alarms = await api.etcdAlarms?.(create(EtcdAlarmsRequestSchema), callContext());
    assert.deepEqual(alarms?.alarms, []);
    await api.etcdDefragment?.(create(EtcdDefragmentRequestSchema), callContext());
    let bytes = 0;
    const stream = api.etcdSnapshot?.(create(EtcdSnapshotRequestSchema), callContext());
    assert.ok(stream && Symbol.asyncIterator in stream);
    for await (const message of stream) bytes += message.chunk?.length ?? 0;
    assert.ok(bytes > 4096);
  });

  it("hands leadership to another member when the leader forfeits it", async () => {
    const { leaderId } = await at(0).member.client.status();
    const leader = await leaderNode(nodes, leaderId);
    const next = await forfeitLeadership(leader.member, signal());
    assert.notEqual(next, leaderId);
    // The old leader saw the handover complete before MoveLeader returned.
    const after = await waitHealthy(leader.member, undefined, 20_000);
    assert.notEqual(after.leaderId, leaderId);
  });

  it("keeps quorum with one member down, and reports that member unhealthy", async () => {
    await at(2).stop();
    // cp-3 may have led: let the other two elect a leader before asking for their view.
    for (const node of [at(0), at(1)]) await waitHealthy(node.member, undefined, 20_000);
    const { members, quorum } = await membership(at(0).member, signal());
    assert.equal(quorum, true);
    const down = members.find((m) => m.name === "cp-3");
    assert.equal(down?.healthy, false);
    assert.equal(members.filter((m) => m.healthy).length, 2);
    assert.equal(await at(1).member.client.get("/keelson/spec"), "hello");
  });

  it("removes a member; a node that leaves is taken out and waits", async () => {
    const { members } = await membership(at(0).member, signal());
    const gone = members.find((m) => m.name === "cp-3");
    assert.ok(gone);
    const api = etcdHandlers({ etcd: at(0).member });
    const request = create(EtcdRemoveMemberRequestSchema, { id: gone.id.toString(16) });
    await api.etcdRemoveMember?.(request, callContext());
    await leaveCluster(at(1).member, signal());
    const left = await membership(at(0).member, signal());
    assert.deepEqual(
      left.members.map((m) => m.name),
      ["cp-1"],
    );
    assert.equal(left.quorum, true);
    await at(1).until("parked", (s) => /left the etcd cluster/.test(s.healthMessage));
  });
});

async function leaderNode(nodes: readonly TestNode[], leaderId: bigint): Promise<TestNode> {
  for (const node of nodes)
    if ((await node.member.client.status()).memberId === leaderId) return node;
  throw new Error("no node leads");
}
