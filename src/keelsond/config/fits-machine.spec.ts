import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { ConfigDocument } from "../../machinery/config";
import { fixture } from "../../machinery/config/test-fixtures";
import { KeelsonError } from "../../machinery/errors";
import { EventLog } from "../events";
import { MetalNetwork } from "../network";
import type { Platform } from "../state";
import { checkFitsMachine } from "./fits-machine";

describe("a configuration that must fit the machine", () => {
  let dir: string;
  let network: MetalNetwork;
  let worker: ConfigDocument[];
  const metal = { platform: "qemu", address: "10.0.2.15", port: 50000 } as Platform;
  const disks = () => ["/dev/vda"];
  const refusal = (documents: ConfigDocument[]) => {
    try {
      checkFitsMachine(documents, metal, network, disks);
    } catch (error) {
      assert.ok(error instanceof KeelsonError);
      return error.message;
    }
    return assert.fail("expected a refusal");
  };
  /** The worker's configuration with these machine fields in place of its own. */
  const patched = (machine: Record<string, unknown>) =>
    worker.map((d) =>
      d.kind === "MachineConfig"
        ? ({ ...d, machine: { ...d.machine, ...machine } } as ConfigDocument)
        : d,
    );

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "keelson-fits-"));
    // The machine's links as /sys/class/net shows them: eth0 has a device, loopback and a bridge do not.
    for (const link of ["lo", "br0"]) mkdirSync(join(dir, "net", link), { recursive: true });
    mkdirSync(join(dir, "net", "eth0", "device"), { recursive: true });
    network = new MetalNetwork(new EventLog(join(dir, "events.jsonl")), {
      tool: "/nonexistent",
      links: join(dir, "net"),
      resolvConf: join(dir, "resolv.conf"),
    });
    worker = (await fixture()).worker;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("takes one naming the machine's own links and disk", () => {
    checkFitsMachine(
      patched({
        network: { interfaces: [{ name: "eth0", dhcp: true }] },
        install: { disk: "/dev/vda", image: "keelson/installer:1" },
      }),
      metal,
      network,
      disks,
    );
  });

  it("refuses one naming a link or a disk the machine does not have, naming the field", () => {
    assert.match(
      refusal(patched({ network: { interfaces: [{ name: "eth1", dhcp: true }] } })),
      /machine\.network\.interfaces\[0\]\.name: this node has no network link eth1 \(it has eth0\)/,
    );
    assert.match(
      refusal(patched({ install: { disk: "/dev/sdb", image: "keelson/installer:1" } })),
      /machine\.install\.disk: this machine has no disk \/dev\/sdb \(it has \/dev\/vda\)/,
    );
  });

  it("checks nothing on a process node, whose links and disks are its host's", () => {
    checkFitsMachine(
      patched({ install: { disk: "/dev/sdb", image: "keelson/installer:1" } }),
      { ...metal, platform: "process" } as Platform,
      network,
      disks,
    );
  });
});
