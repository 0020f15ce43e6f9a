import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../../errors";
import { parseCmdline } from "./parse-cmdline";
import { parsePidStat } from "./parse-pid-stat";
import { parseResidentBytes } from "./parse-pid-status";

// From this machine: `cat /proc/self/stat`.
const cat =
  "6846 (cat) R 6842 6842 3012 0 -1 4194304 147 0 0 0 7 3 0 0 20 0 1 0 80977 3133440 381 18446744073709551615 94356216160256 94356216180137 140734375454496 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 94356216196144 94356216197760 94356423622656 140734375455456 140734375455476 140734375455476 140734375456747 0\n";

describe("parsePidStat", () => {
  it("reads pid, comm, state, parent, CPU ticks, threads and virtual size", () => {
    assert.deepEqual(parsePidStat(cat), {
      pid: 6846,
      comm: "cat",
      state: "R",
      ppid: 6842,
      utime: 7,
      stime: 3,
      threads: 1,
      virtualBytes: 3133440n,
    });
  });

  it("keeps spaces and parentheses that are part of comm", () => {
    const odd = cat.replace("(cat)", "(a) b (c))");
    assert.equal(parsePidStat(odd).comm, "a) b (c)");
    assert.equal(parsePidStat(odd).ppid, 6842);
  });

  it("fails with an internal KeelsonError when fields are missing", () => {
    assert.throws(
      () => parsePidStat("6846 (cat) R 6842"),
      (e) => e instanceof KeelsonError && e.code === "internal",
    );
    assert.throws(() => parsePidStat("no parens"), KeelsonError);
  });
});

describe("parseResidentBytes", () => {
  it("reads VmRSS from /proc/<pid>/status", () => {
    const status =
      "Name:\tcat\nState:\tR (running)\nVmSize:\t    3060 kB\nVmRSS:\t    1692 kB\nThreads:\t1\n";
    assert.equal(parseResidentBytes(status), 1692n * 1024n);
  });

  it("is zero for kernel threads, which have no VmRSS", () => {
    assert.equal(parseResidentBytes("Name:\tkthreadd\nState:\tS (sleeping)\nThreads:\t1\n"), 0n);
  });
});

describe("parseCmdline", () => {
  it("splits on NUL and drops the trailing terminator", () => {
    const argv = ["/process_api", "--addr", "0.0.0.0:2024"];
    assert.deepEqual(parseCmdline(`${argv.join("\0")}\0`), argv);
  });

  it("keeps empty arguments and returns none for kernel threads", () => {
    assert.deepEqual(parseCmdline("sh\0-c\0\0"), ["sh", "-c", ""]);
    assert.deepEqual(parseCmdline(""), []);
  });
});
