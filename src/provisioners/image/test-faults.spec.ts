import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../../machinery/errors";
import { checkTestFault, faultyEntryPoint, testFaults } from "./test-faults";

describe("test faults", () => {
  it("refuses a kernel panic for a process image, which shares its host's kernel", () => {
    assert.throws(
      () => checkTestFault("panic", "process"),
      (e: unknown) => e instanceof KeelsonError && /--target metal/.test(e.message),
    );
    assert.doesNotThrow(() => checkTestFault("panic", "metal"));
    for (const fault of testFaults.filter((f) => f !== "panic"))
      assert.doesNotThrow(() => checkTestFault(fault, "process"));
  });

  it("panics only under keelson-init: the check that PID 1 is keelson-init comes before the trigger", () => {
    const script = faultyEntryPoint("panic");
    const guard = script.indexOf('endsWith("/keelson-init")');
    const exit = script.indexOf("process.exit(1)");
    const trigger = script.indexOf("/proc/sysrq-trigger");
    assert.ok(guard > 0 && guard < exit && exit < trigger, script);
  });
});
