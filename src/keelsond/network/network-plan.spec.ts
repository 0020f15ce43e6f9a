import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { KeelsonError } from "../../machinery/errors";
import { networkPlan } from "./network-plan";

const links = [
  { name: "eth0", addressed: true },
  { name: "eth1", addressed: false },
  { name: "eth2", addressed: false },
];

const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof KeelsonError);
    return error;
  }
  assert.fail("expected a refusal");
};

describe("the network plan", () => {
  it("takes DHCP on every link without an address when no interface is configured", () => {
    assert.deepEqual(networkPlan(undefined, links), {
      links: [
        { link: "eth1", dhcp: true },
        { link: "eth2", dhcp: true },
      ],
      nameservers: [],
    });
  });

  it("sets exactly the configured links: static settings for keelson-init network, or DHCP", () => {
    const plan = networkPlan(
      {
        interfaces: [
          {
            name: "eth0",
            mtu: 1400,
            addresses: ["10.0.0.2/24", "10.0.0.3/24"],
            routes: [
              { network: "0.0.0.0/0", gateway: "10.0.0.1" },
              { network: "10.9.0.0/16", metric: 5 },
            ],
          },
          { name: "eth2", dhcp: true },
        ],
        nameservers: ["10.0.0.53"],
      },
      links,
    );
    assert.deepEqual(plan, {
      links: [
        {
          link: "eth0",
          dhcp: false,
          settings: [
            "mtu=1400",
            "address=10.0.0.2/24",
            "address=10.0.0.3/24",
            "route=0.0.0.0/0,10.0.0.1,0",
            "route=10.9.0.0/16,,5",
          ],
        },
        { link: "eth2", dhcp: true },
      ],
      nameservers: ["10.0.0.53"],
    });
  });

  it("refuses, naming the field, a link the node does not have, DHCP with static addresses, and IPv6", () => {
    const missing = refusal(() =>
      networkPlan({ interfaces: [{ name: "eth0" }, { name: "ens5", dhcp: true }] }, links),
    );
    assert.match(
      missing.message,
      /machine\.network\.interfaces\[1\]\.name: this node has no network link ens5 \(it has eth0, eth1, eth2\)/,
    );
    const both = refusal(() =>
      networkPlan(
        { interfaces: [{ name: "eth1", dhcp: true, addresses: ["10.0.0.2/24"] }] },
        links,
      ),
    );
    assert.match(both.message, /interfaces\[0\]: eth1 takes DHCP and static addresses/);
    const v6 = refusal(() =>
      networkPlan(
        { interfaces: [{ name: "eth1", routes: [{ network: "::/0", gateway: "fd00::1" }] }] },
        links,
      ),
    );
    assert.match(v6.message, /interfaces\[0\]\.routes\[0\]\.gateway: fd00::1 is not IPv4/);
  });

  it("either plans every configured link or refuses with a named field, for any configuration", () => {
    const name = fc.constantFrom("eth0", "eth1", "eth9", "lo0");
    const cidr = fc.oneof(
      fc.ipV4().map((a) => `${a}/24`),
      fc.ipV6().map((a) => `${a}/64`),
    );
    const iface = fc.record(
      {
        name,
        addresses: fc.array(cidr, { maxLength: 3 }),
        dhcp: fc.boolean(),
        mtu: fc.integer({ min: 576, max: 9216 }),
      },
      { requiredKeys: ["name"] },
    );
    fc.assert(
      fc.property(fc.array(iface, { maxLength: 4 }), (interfaces) => {
        try {
          const plan = networkPlan({ interfaces }, links);
          if (interfaces.length === 0)
            assert.deepEqual(
              plan.links,
              links.filter((l) => !l.addressed).map((l) => ({ link: l.name, dhcp: true })),
            );
          else assert.equal(plan.links.length, interfaces.length);
        } catch (error) {
          assert.ok(error instanceof KeelsonError);
          assert.match(error.message, /^machine\.network\.interfaces\[\d+\]/);
        }
      }),
    );
  });
});
