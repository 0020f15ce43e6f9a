import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseProcStat } from "./parse-proc-stat";

// From this machine's /proc/stat (intr and softirq lines shortened).
const fixture = `cpu  5089 0 1733 70264 106 0 28 9 0 0
cpu0 2149 0 707 35723 6 0 6 3 0 0
cpu1 2940 0 1026 34541 100 0 21 6 0 0
intr 150042 12 9 0 0
ctxt 510973
btime 1795459758
processes 3832
procs_running 4
procs_blocked 0
softirq 72105 0 10378 5 6776
`;

describe("parseProcStat", () => {
  it("reads boot time and the all-CPU tick counts", () => {
    assert.deepEqual(parseProcStat(fixture), {
      bootTimeSeconds: 1795459758,
      cpu: {
        user: 5089,
        nice: 0,
        system: 1733,
        idle: 70264,
        iowait: 106,
        irq: 0,
        softirq: 28,
        steal: 9,
      },
    });
  });

  it("counts columns an old kernel does not print as zero", () => {
    assert.deepEqual(parseProcStat("cpu 1 2 3 4\n").cpu, {
      user: 1,
      nice: 2,
      system: 3,
      idle: 4,
      iowait: 0,
      irq: 0,
      softirq: 0,
      steal: 0,
    });
  });

  it("leaves facts it cannot find undefined", () => {
    assert.deepEqual(parseProcStat("btime soon\ncpu x y\n"), {
      bootTimeSeconds: undefined,
      cpu: undefined,
    });
  });
});
