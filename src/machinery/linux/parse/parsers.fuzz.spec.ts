import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { KeelsonError } from "../../errors";
import { ipv4FromHexLe, ipv6FromHex, prefixFromHexMask } from "./hex-address";
import { parseCmdline } from "./parse-cmdline";
import { parseCpuinfo } from "./parse-cpuinfo";
import { parseIfInet6 } from "./parse-if-inet6";
import { parseIpAddrJson } from "./parse-ip-addr-json";
import { parseIpv6Route } from "./parse-ipv6-route";
import { decodeKmsgText, parseKmsgRecord } from "./parse-kmsg-record";
import { parseLoadavg } from "./parse-loadavg";
import { parseMeminfo } from "./parse-meminfo";
import { decodeOctalEscapes, parseMountinfo } from "./parse-mountinfo";
import { parseNetRoute } from "./parse-net-route";
import { parsePidStat } from "./parse-pid-stat";
import { parseResidentBytes } from "./parse-pid-status";
import { parseProcStat } from "./parse-proc-stat";
import { parseUptime } from "./parse-uptime";

const parsers: Record<string, (text: string) => unknown> = {
  parseCmdline,
  parseCpuinfo,
  parseIfInet6,
  parseIpAddrJson,
  parseIpv6Route,
  parseKmsgRecord,
  decodeKmsgText,
  parseLoadavg,
  parseMeminfo,
  parseMountinfo,
  decodeOctalEscapes,
  parseNetRoute,
  parsePidStat,
  parseResidentBytes,
  parseProcStat,
  parseUptime,
  ipv4FromHexLe,
  ipv6FromHex,
  prefixFromHexMask,
};

/** Pieces of real /proc syntax, so generated text gets past the first checks more often. */
const tokens = fc.constantFrom(
  " ",
  "\t",
  "\n",
  "\0",
  ":",
  ";",
  ",",
  "-",
  "/",
  "(",
  ")",
  "\\",
  "\\040",
  "\\x0a",
  "kB",
  "0",
  "1",
  "42",
  "18446744073709551615",
  "-1",
  "0.16",
  "00FFFFFF",
  "010200C0",
  "fe8000000000000000fc00fffe000001",
  "ffffffff",
  "80200001",
  "eth0",
  "cpu",
  "btime",
  "processor",
  "VmRSS",
  "MemTotal",
  "[",
  "]",
  "{",
  "}",
  '"',
  "é",
  "\u{1F600}",
);
const procLike = fc.string({ unit: tokens, maxLength: 80 });
const anyText = fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), procLike);

/**
 * The contract the rest of the agent relies on: a parser returns, or throws a
 * KeelsonError with code "internal". Never a TypeError, RangeError or SyntaxError.
 */
function returnsOrFailsInternally(parse: (text: string) => unknown, text: string): void {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof KeelsonError, `threw ${String(error)}`);
    assert.equal(error.code, "internal");
  }
}

describe("parsers on arbitrary text", () => {
  for (const [name, parse] of Object.entries(parsers)) {
    it(`${name} returns or fails with an internal KeelsonError`, () => {
      fc.assert(
        fc.property(anyText, (text) => returnsOrFailsInternally(parse, text)),
        {
          numRuns: 300,
        },
      );
    });
  }
});
