import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { KeelsonError } from "../../errors";
import { parseIfInet6 } from "./parse-if-inet6";
import { parseIpAddrJson } from "./parse-ip-addr-json";

// This machine's /proc/net/if_inet6, verbatim.
const ifInet6 = `00000000000000000000000000000001 01 80 10 80       lo
fe8000000000000000fc00fffe000001 04 40 20 80     eth0
fd000000000000000000000000000002 04 40 00 82     eth0
`;

// Trimmed from this machine's `ip -j addr`.
const ipJson = JSON.stringify([
  {
    ifindex: 1,
    ifname: "lo",
    addr_info: [
      { family: "inet", local: "127.0.0.1", prefixlen: 8, scope: "host", label: "lo" },
      { family: "inet6", local: "::1", prefixlen: 128, scope: "host" },
    ],
  },
  { ifindex: 2, ifname: "ifb0", addr_info: [] },
  {
    ifindex: 4,
    ifname: "eth0",
    addr_info: [{ family: "inet", local: "192.0.2.2", prefixlen: 24, scope: "global" }],
  },
]);

describe("parseIfInet6", () => {
  it("reads address with prefix, link and scope", () => {
    assert.deepEqual(parseIfInet6(ifInet6), [
      { link: "lo", linkIndex: 1, family: "inet6", address: "::1/128", scope: "host" },
      {
        link: "eth0",
        linkIndex: 4,
        family: "inet6",
        address: "fe80::fc:ff:fe00:1/64",
        scope: "link",
      },
      { link: "eth0", linkIndex: 4, family: "inet6", address: "fd00::2/64", scope: "global" },
    ]);
  });
});

describe("parseIpAddrJson", () => {
  it("keeps only the IPv4 addresses", () => {
    assert.deepEqual(parseIpAddrJson(ipJson), [
      { link: "lo", linkIndex: 1, family: "inet", address: "127.0.0.1/8", scope: "host" },
      { link: "eth0", linkIndex: 4, family: "inet", address: "192.0.2.2/24", scope: "global" },
    ]);
  });

  it("skips entries of the wrong shape but fails on output that is not an array", () => {
    assert.deepEqual(
      parseIpAddrJson('[1, {"ifname": 2}, {"ifname": "x", "addr_info": [null]}]'),
      [],
    );
    assert.throws(() => parseIpAddrJson("{}"), KeelsonError);
    assert.throws(() => parseIpAddrJson("Error: ..."), KeelsonError);
  });
});
