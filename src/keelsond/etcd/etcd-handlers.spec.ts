import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  EtcdMembersRequestSchema,
  EtcdSnapshotRequestSchema,
} from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { etcdHandlers } from "./etcd-handlers";
import { callContext } from "./testing/call-handler";

describe("etcd handlers on a worker", () => {
  const handlers = etcdHandlers({ etcd: undefined });

  it("fail every unary call: etcd runs on control planes only", async () => {
    await assert.rejects(
      Promise.resolve(handlers.etcdMembers?.(create(EtcdMembersRequestSchema), callContext())),
      { code: "failedPrecondition", message: "etcd runs on control planes only" },
    );
  });

  it("fail the snapshot stream the same way", async () => {
    const stream = handlers.etcdSnapshot?.(create(EtcdSnapshotRequestSchema), callContext());
    assert.ok(stream && Symbol.asyncIterator in stream);
    await assert.rejects(stream[Symbol.asyncIterator]().next(), { code: "failedPrecondition" });
  });
});
