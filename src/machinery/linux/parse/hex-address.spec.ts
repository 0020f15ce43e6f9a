import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../../errors";
import { ipv4FromHexLe, ipv6FromHex, prefixFromHexMask } from "./hex-address";

describe("hex addresses", () => {
  it("decodes little-endian IPv4 as /proc/net/route prints it", () => {
    assert.equal(ipv4FromHexLe("010200C0"), "192.0.2.1");
    assert.equal(ipv4FromHexLe("00000000"), "0.0.0.0");
  });

  it("counts netmask bits", () => {
    assert.equal(prefixFromHexMask("00FFFFFF"), 24);
    assert.equal(prefixFromHexMask("00000000"), 0);
    assert.equal(prefixFromHexMask("FFFFFFFF"), 32);
  });

  it("formats IPv6 the way ip does (RFC 5952)", () => {
    assert.equal(ipv6FromHex("00000000000000000000000000000001"), "::1");
    assert.equal(ipv6FromHex("00000000000000000000000000000000"), "::");
    assert.equal(ipv6FromHex("fe8000000000000000fc00fffe000001"), "fe80::fc:ff:fe00:1");
    assert.equal(ipv6FromHex("fd000000000000000000000000000002"), "fd00::2");
    assert.equal(ipv6FromHex("20010db8000000010000000000000001"), "2001:db8:0:1::1");
    assert.equal(ipv6FromHex("20010db8000100010001000100010001"), "2001:db8:1:1:1:1:1:1");
    assert.equal(ipv6FromHex("ff000000000000000000000000000000"), "ff00::");
  });

  it("rejects text of the wrong length", () => {
    assert.throws(() => ipv4FromHexLe("0102"), KeelsonError);
    assert.throws(() => ipv6FromHex("zz"), KeelsonError);
  });
});
