import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Node } from "@kubernetes/client-node";
import type { NodeApi } from "../nodes/node-api";
import type { FleetNode, NodePhase } from "../schedule";
import { etcdHealth } from "./etcd-health";

const plane = (name: string, ready = true): V1Node => ({
  metadata: { name, labels: { "node-role.kubernetes.io/control-plane": "" } },
  status: {
    addresses: [{ type: "InternalIP", address: `127.0.0.${name.slice(-1)}` }],
    conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
  },
});
const fleetOf = (phases: Record<string, NodePhase>): FleetNode[] =>
  Object.entries(phases).map(([name, phase]) => ({
    name,
    phase,
    controlPlane: true,
    ready: true,
    cordonedByOthers: false,
  }));

/** What etcd answers on each control plane's API, by address. */
function answering(byAddress: Record<string, { name: string; healthy: boolean }[] | Error>) {
  const asked: string[] = [];
  const api = {
    etcdMembers: async (address: string) => {
      asked.push(address);
      const answer = byAddress[address];
      if (!answer || answer instanceof Error) throw answer ?? new Error("refused");
      return answer;
    },
  } as unknown as NodeApi;
  return { api, asked };
}

describe("etcd health for the quorum rule", () => {
  const list = [plane("cp-1"), plane("cp-2"), plane("cp-3")];
  const members = (healthy: boolean[]) =>
    healthy.map((h, i) => ({ name: `cp-${i + 1}`, healthy: h }));

  it("asks etcd itself when a control plane is next, counting held members as gone", async () => {
    const { api, asked } = answering({
      "127.0.0.1": new Error("connection refused"),
      "127.0.0.2": members([true, true, false]),
    });
    const fleet = fleetOf({ "cp-1": "Staged", "cp-2": "Done", "cp-3": "Pending" });
    assert.deepEqual(await etcdHealth(api, list, fleet), { members: 3, healthy: 2 });
    assert.deepEqual(asked, ["127.0.0.1", "127.0.0.2"]);
    const busy = fleetOf({ "cp-1": "Rebooting", "cp-2": "Staged", "cp-3": "Done" });
    const { api: second } = answering({ "127.0.0.2": members([true, true, true]) });
    assert.deepEqual(await etcdHealth(second, list, busy), { members: 3, healthy: 2 });
  });

  it("falls back to the Nodes when no control plane answers, and asks nothing when none is next", async () => {
    const { api, asked } = answering({});
    const withDown = [plane("cp-1"), plane("cp-2", false), plane("cp-3")];
    const fleet = fleetOf({ "cp-1": "Staged", "cp-2": "Pending", "cp-3": "Done" });
    assert.deepEqual(await etcdHealth(api, withDown, fleet), { members: 3, healthy: 2 });
    asked.length = 0;
    const done = fleetOf({ "cp-1": "Done", "cp-2": "Done", "cp-3": "Done" });
    assert.deepEqual(await etcdHealth(api, list, done), { members: 3, healthy: 3 });
    assert.deepEqual(asked, []);
    assert.equal(await etcdHealth(api, [], []), undefined);
  });
});
