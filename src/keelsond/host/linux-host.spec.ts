import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { cpus, hostname } from "node:os";
import { describe, it } from "node:test";
import { LinuxHost } from "./linux-host";

/** These run against the machine the tests run on; expected values are read here independently. */
const host = new LinuxHost();
const proc = (path: string) => readFileSync(`/proc/${path}`, "utf8");

describe("LinuxHost on this machine", () => {
  it("reports the hostname and kernel", async () => {
    assert.equal(await host.hostname(), proc("sys/kernel/hostname").trim());
    assert.equal(await host.hostname(), hostname());
    const kernel = await host.kernel();
    assert.equal(kernel.release, proc("sys/kernel/osrelease").trim());
    const btime = Number(/^btime (\d+)$/m.exec(proc("stat"))?.[1]);
    assert.equal(kernel.bootTime.getTime(), btime * 1000);
    assert.ok(host.uptimeSeconds() > 0);
  });

  it("lists this test process with its real command line", async () => {
    const { processes } = await host.processes();
    const self = processes.find((p) => p.pid === process.pid);
    const argv = proc(`${process.pid}/cmdline`).split("\0").slice(0, -1);
    assert.deepEqual(self?.args, argv);
    assert.equal(self?.command, argv.join(" "));
    assert.equal(self?.name, proc(`${process.pid}/comm`).trim());
    assert.equal(self?.ppid, process.ppid);
    assert.ok((self?.residentBytes ?? 0n) > 0n);
    assert.ok((self?.threads ?? 0) >= 1);
    assert.equal(processes.find((p) => p.pid === 1)?.ppid, 0);
  });

  it("reports memory as /proc/meminfo does", async () => {
    const memory = await host.memory();
    const kib = Number(/^MemTotal:\s+(\d+) kB$/m.exec(proc("meminfo"))?.[1]);
    assert.equal(memory.totalBytes, BigInt(kib) * 1024n);
    assert.ok((memory.availableBytes ?? 0n) <= (memory.totalBytes ?? 0n));
  });

  it("reports one core per online CPU and the load", async () => {
    const cpu = await host.cpu();
    assert.equal(cpu.cores?.length, cpus().length);
    assert.ok((cpu.totalProcesses ?? 0) > 0);
    assert.ok((cpu.idleSeconds ?? 0) > 0);
  });

  it("finds the root mount with its size", async () => {
    const { mounts } = await host.mounts();
    const root = mounts.find((m) => m.target === "/");
    assert.ok(root, "no mount for /");
    assert.ok((root.sizeBytes ?? 0n) > 0n);
    assert.equal(mounts.length, proc("self/mountinfo").trim().split("\n").length);
  });

  it("lists the block devices of /sys/block, partitions under their disk", async () => {
    const { disks } = await host.disks();
    const names = new Set(disks.map((d) => d.name));
    for (const disk of disks) {
      if (disk.type === "partition") assert.ok(names.has(disk.parent ?? ""), disk.name);
      else assert.ok(readdirSync("/sys/block").includes(disk.name ?? ""), disk.name);
    }
  });

  it("has the loopback link and its address", async () => {
    const { links } = await host.links();
    const lo = links.find((l) => l.name === "lo");
    assert.deepEqual(
      [lo?.kind, lo?.mtu],
      ["loopback", Number(readFileSync("/sys/class/net/lo/mtu", "utf8"))],
    );
    const { addresses } = await host.addresses();
    assert.ok(
      addresses.some((a) => a.link === "lo" && a.address === "127.0.0.1/8" && a.family === "inet"),
    );
    if (proc("net/if_inet6").includes(" lo")) {
      assert.ok(
        addresses.some((a) => a.link === "lo" && a.address === "::1/128" && a.scope === "host"),
      );
    }
  });

  it("reports main-table routes over existing links", async () => {
    const { routes } = await host.routes();
    const { links } = await host.links();
    const ipv4Lines = proc("net/route").trim().split("\n").length - 1;
    assert.equal(routes.filter((r) => r.family === "inet").length, ipv4Lines);
    for (const route of routes)
      assert.ok(
        links.some((l) => l.name === route.link),
        route.link,
      );
  });

  it("reports node time after boot time", async () => {
    const time = await host.time();
    assert.ok((time.nodeTime?.seconds ?? 0n) > (time.bootTime?.seconds ?? 0n));
    assert.ok(time.timezone);
  });
});
