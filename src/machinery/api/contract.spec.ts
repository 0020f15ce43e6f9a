import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MachineService } from "./gen/keelson/machine/v1/machine_pb";

describe("API contract", () => {
  it("has only unary and server-streaming RPCs, so every stock gRPC client and proxy can call them", () => {
    const others = MachineService.methods.filter(
      (m) => m.methodKind !== "unary" && m.methodKind !== "server_streaming",
    );
    assert.deepEqual(
      others.map((m) => m.name),
      [],
    );
  });
});
