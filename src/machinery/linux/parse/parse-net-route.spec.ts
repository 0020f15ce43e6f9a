import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseNetRoute } from "./parse-net-route";

// From this machine's /proc/net/route (trailing padding kept).
const fixture = `Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT                                                       
eth0	00000000	010200C0	0003	0	0	0	00000000	0	0	0                                                                               
eth0	000200C0	00000000	0001	0	0	100	00FFFFFF	0	0	0                                                                               
`;

describe("parseNetRoute", () => {
  it("decodes the default route and a link route", () => {
    assert.deepEqual(parseNetRoute(fixture), [
      {
        family: "inet",
        destination: "0.0.0.0/0",
        gateway: "192.0.2.1",
        link: "eth0",
        metric: 0,
        table: "main",
        scope: "global",
        protocol: "",
      },
      {
        family: "inet",
        destination: "192.0.2.0/24",
        gateway: "",
        link: "eth0",
        metric: 100,
        table: "main",
        scope: "link",
        protocol: "",
      },
    ]);
  });

  it("skips the header and garbled lines", () => {
    assert.deepEqual(parseNetRoute("Iface\tDestination\neth0 zz 00 1 0 0 0 00\n"), []);
  });
});
