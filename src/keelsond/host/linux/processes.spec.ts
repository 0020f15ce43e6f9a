import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readProcess } from "./processes";

describe("readProcess", () => {
  it("treats a process that is gone as absent, not as an error", async () => {
    // Above the kernel's PID_MAX_LIMIT (4194304), so never a live pid.
    assert.equal(await readProcess("2147483647"), undefined);
  });

  it("reads the test process itself", async () => {
    const self = await readProcess(String(process.pid));
    assert.equal(self?.pid, process.pid);
    assert.ok((self?.cpuSeconds ?? 0) >= 0);
  });
});
