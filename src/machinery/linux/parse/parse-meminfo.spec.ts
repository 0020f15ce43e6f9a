import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseMeminfo } from "./parse-meminfo";

// From this machine's /proc/meminfo (trimmed).
const fixture = `MemTotal:       24684092 kB
MemFree:        24367412 kB
MemAvailable:   24359564 kB
Buffers:            2220 kB
Cached:           187976 kB
SwapTotal:             0 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`;

describe("parseMeminfo", () => {
  it("converts kB fields to bytes and keeps unitless counters as they are", () => {
    const info = parseMeminfo(fixture);
    assert.equal(info.get("MemTotal"), 24684092n * 1024n);
    assert.equal(info.get("Cached"), 187976n * 1024n);
    assert.equal(info.get("HugePages_Total"), 0n);
    assert.equal(info.get("Hugepagesize"), 2048n * 1024n);
  });

  it("skips lines it cannot read instead of failing", () => {
    const info = parseMeminfo("garbage\nMemFree: lots kB\nMemTotal: 4 kB\n");
    assert.deepEqual([...info.entries()], [["MemTotal", 4096n]]);
  });
});
