import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../../../machinery/errors";
import { acrossRestart } from "./across-restart";

/** An operation that fails with `errors` in turn, then answers "done". */
function failing(...errors: KeelsonError[]) {
  let calls = 0;
  const operation = async () => {
    const error = errors[calls++];
    if (error) throw error;
    return "done";
  };
  return { operation, calls: () => calls };
}

const down = () => new KeelsonError("unavailable", "containerd is not reachable");

describe("acrossRestart", () => {
  it("runs the operation again while containerd is unavailable, then answers", async () => {
    const op = failing(down(), down());
    assert.equal(await acrossRestart(op.operation, AbortSignal.timeout(5000)), "done");
    assert.equal(op.calls(), 3);
  });

  it("passes any other error on at once", async () => {
    const op = failing(new KeelsonError("notFound", "no such task"));
    await assert.rejects(acrossRestart(op.operation, AbortSignal.timeout(5000)), /no such task/);
    assert.equal(op.calls(), 1);
  });

  it("gives up at the deadline with containerd's error", async () => {
    const op = failing(...Array.from({ length: 100 }, down));
    await assert.rejects(acrossRestart(op.operation, AbortSignal.timeout(600)), /not reachable/);
    assert.ok(op.calls() >= 2 && op.calls() < 100, `${op.calls()} calls`);
  });
});
