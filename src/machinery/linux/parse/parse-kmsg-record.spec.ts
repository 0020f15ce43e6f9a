import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../../errors";
import { decodeKmsgText, parseKmsgRecord } from "./parse-kmsg-record";

describe("parseKmsgRecord", () => {
  it("reads a record from this machine's /dev/kmsg", () => {
    assert.deepEqual(parseKmsgRecord("6,16,56,-;tsc: Detected 2299.998 MHz processor\n"), {
      sequence: 16n,
      monotonicUs: 56n,
      facility: "kern",
      priority: "info",
      message: "tsc: Detected 2299.998 MHz processor",
    });
  });

  it("drops the KEY=value continuation lines", () => {
    const record =
      "6,187,256727,-;acpi PNP0A08:00: _OSC: OS supports [ASPM]\n SUBSYSTEM=acpi\n DEVICE=+acpi:PNP0A08:00\n";
    assert.equal(parseKmsgRecord(record).message, "acpi PNP0A08:00: _OSC: OS supports [ASPM]");
  });

  it("splits facility and priority out of the prefix", () => {
    // 14 = user (1) << 3 | info (6): what a write to /dev/kmsg without a prefix gets.
    const record = parseKmsgRecord("14,900,1346035,-;keelson-test\n");
    assert.deepEqual([record.facility, record.priority], ["user", "info"]);
    assert.deepEqual(
      [parseKmsgRecord("0,1,2,c;x").priority, parseKmsgRecord("187,1,2,-;x").facility],
      ["emerg", "local7"],
    );
  });

  it("fails with an internal KeelsonError on a bad header", () => {
    assert.throws(
      () => parseKmsgRecord("no header"),
      (e) => e instanceof KeelsonError && e.code === "internal",
    );
    assert.throws(() => parseKmsgRecord("x,1,2,-;msg"), KeelsonError);
  });
});

describe("decodeKmsgText", () => {
  it("decodes \\xNN escapes, including UTF-8 sent byte by byte", () => {
    assert.equal(decodeKmsgText("\\x09Trampoline variant"), "\tTrampoline variant");
    assert.equal(decodeKmsgText("caf\\xc3\\xa9 \\x5c"), "café \\");
  });
});
