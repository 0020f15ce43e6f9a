import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCpuinfo } from "./parse-cpuinfo";

// From this machine's /proc/cpuinfo (trimmed to a few keys per core).
const x86 = `processor	: 0
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Processor
cpu MHz		: 2299.998
flags		: fpu vme de pse

processor	: 1
vendor_id	: GenuineIntel
model name	: Intel(R) Xeon(R) Processor
cpu MHz		: 2299.998
`;

// A Raspberry Pi 4 (arm64): no model name or MHz per core, and a trailing Hardware block.
const arm = `processor	: 0
BogoMIPS	: 108.00
CPU implementer	: 0x41
CPU part	: 0xd08

processor	: 1
BogoMIPS	: 108.00

Hardware	: BCM2835
Model		: Raspberry Pi 4 Model B Rev 1.4
`;

describe("parseCpuinfo", () => {
  it("reads one core per processor block with model and MHz", () => {
    assert.deepEqual(parseCpuinfo(x86), [
      { id: 0, model: "Intel(R) Xeon(R) Processor", mhz: 2299.998 },
      { id: 1, model: "Intel(R) Xeon(R) Processor", mhz: 2299.998 },
    ]);
  });

  it("tolerates arm's missing model and MHz and skips the Hardware block", () => {
    assert.deepEqual(parseCpuinfo(arm), [
      { id: 0, model: "", mhz: 0 },
      { id: 1, model: "", mhz: 0 },
    ]);
  });
});
