import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { compileInit } from "./init-program";

const ip = (...args: string[]) => execFileSync("ip", args, { encoding: "utf8" });

/** Runs keelson-init in the network namespace NS; its exit code and standard error. */
function tool(ns: string, init: string, ...args: string[]): { code: number; stderr: string } {
  try {
    execFileSync("ip", ["netns", "exec", ns, init, ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    return { code: 0, stderr: "" };
  } catch (error) {
    const e = error as { status: number; stderr: Buffer };
    return { code: e.status, stderr: e.stderr.toString() };
  }
}

/**
 * keelson-init's network tools, the ones the agent drives on the metal
 * image, run for real in two network namespaces joined by a veth pair: the
 * node's side, and a side with busybox's DHCP server.
 */
describe("the metal image's network tools", () => {
  const tag = randomBytes(3).toString("hex");
  const node = `keelson-node-${tag}`;
  const server = `keelson-dhcpd-${tag}`;
  let dir: string;
  let init: string;
  const children: ChildProcess[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "keelson-net-"));
    init = join(dir, "keelson-init");
    compileInit(init);
    ip("netns", "add", node);
    ip("netns", "add", server);
    ip(
      "link",
      "add",
      "eth0",
      "netns",
      node,
      "type",
      "veth",
      "peer",
      "name",
      "srv0",
      "netns",
      server,
    );
    ip("-n", server, "addr", "add", "10.77.0.1/24", "dev", "srv0");
    ip("-n", server, "link", "set", "srv0", "up");
  });
  after(() => {
    for (const child of children) child.kill("SIGKILL");
    for (const ns of [node, server])
      execFileSync("ip", ["netns", "delete", ns], { stdio: "ignore" });
    rmSync(dir, { recursive: true, force: true });
  });

  it("sets a link's MTU, addresses and routes, replacing what an earlier run set", () => {
    assert.deepEqual(
      tool(
        node,
        init,
        "network",
        "eth0",
        "mtu=1400",
        "address=10.77.1.2/24",
        "address=10.77.1.3/24",
        "route=10.88.0.0/16,10.77.1.254,7",
        "route=10.99.0.0/16,,3",
      ),
      { code: 0, stderr: "" },
    );
    const shown = ip("-n", node, "-4", "addr", "show", "eth0");
    assert.match(shown, /mtu 1400/);
    assert.match(shown, /inet 10\.77\.1\.2\/24/);
    assert.match(shown, /inet 10\.77\.1\.3\/24 .*eth0:1/);
    const routes = ip("-n", node, "route");
    assert.match(routes, /10\.88\.0\.0\/16 via 10\.77\.1\.254 dev eth0 metric 7/);
    assert.match(routes, /10\.99\.0\.0\/16 dev eth0 scope link metric 3/);
    assert.deepEqual(tool(node, init, "network", "eth0", "address=10.77.1.5/24"), {
      code: 0,
      stderr: "",
    });
    const again = ip("-n", node, "-4", "addr", "show", "eth0");
    assert.match(again, /inet 10\.77\.1\.5\/24/);
    assert.doesNotMatch(again, /10\.77\.1\.[23]\//, "the earlier addresses are gone");
    assert.doesNotMatch(ip("-n", node, "route"), /10\.88\.0\.0|10\.99\.0\.0/, "and their routes");
  });

  it("names the link and the setting it cannot apply, and exits 1", () => {
    const cases: [string[], RegExp][] = [
      [["network", "eth9", "address=10.0.0.1/24"], /eth9: no such network link/],
      [
        ["network", "eth0", "address=10.0.0.1/33"],
        /eth0: address 10\.0\.0\.1\/33: Invalid argument/,
      ],
      [["network", "eth0", "address=fd00::1/64"], /eth0: address fd00::1\/64/],
      [
        ["network", "eth0", "route=10.0.0.0/8,10.250.0.1"],
        /eth0: route 10\.0\.0\.0\/8,10\.250\.0\.1: Network is unreachable/,
      ],
      [["network", "eth0", "colour=blue"], /unknown setting colour/],
      [["network", "eth0", "mtu"], /mtu is not KEY=VALUE/],
      [["dhcp", "eth9"], /eth9: no such network link/],
    ];
    for (const [args, message] of cases) {
      const result = tool(node, init, ...args);
      assert.equal(result.code, 1, args.join(" "));
      assert.match(result.stderr, message);
    }
  });

  it("takes a DHCP lease on a link with no address, puts it on the link and prints it", async () => {
    // No addresses: the static ones go, by the tool alone.
    assert.deepEqual(tool(node, init, "network", "eth0"), { code: 0, stderr: "" });
    assert.doesNotMatch(ip("-n", node, "-4", "addr", "show", "eth0"), /inet /);
    const conf = join(dir, "udhcpd.conf");
    writeFileSync(
      conf,
      [
        "start 10.77.0.50",
        "end 10.77.0.60",
        "interface srv0",
        `lease_file ${join(dir, "leases")}`,
        `pidfile ${join(dir, "udhcpd.pid")}`,
        "option subnet 255.255.255.0",
        "option router 10.77.0.1",
        "option dns 10.77.0.53 10.77.0.54",
        "option lease 60",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, "leases"), "");
    const dhcpd = spawn("ip", ["netns", "exec", server, "busybox", "udhcpd", "-f", conf], {
      stdio: "ignore",
    });
    children.push(dhcpd);
    const client = spawn("ip", ["netns", "exec", node, init, "dhcp", "eth0"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    children.push(client);
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no lease in 30 s")), 30_000);
      createInterface({ input: client.stdout! }).once("line", (l) => {
        clearTimeout(timer);
        resolve(l);
      });
    });
    const lease = JSON.parse(line) as {
      link: string;
      address: string;
      router: string;
      dns: string[];
      leaseSeconds: number;
    };
    assert.equal(lease.link, "eth0");
    assert.match(lease.address, /^10\.77\.0\.(5\d|60)\/24$/);
    assert.equal(lease.router, "10.77.0.1");
    assert.deepEqual(lease.dns, ["10.77.0.53", "10.77.0.54"]);
    assert.equal(lease.leaseSeconds, 60);
    assert.match(
      ip("-n", node, "-4", "addr", "show", "eth0"),
      new RegExp(`inet ${lease.address.replaceAll(".", "\\.")}`),
    );
    assert.match(ip("-n", node, "route"), /default via 10\.77\.0\.1 dev eth0/);
  });
});
