import type { Command } from "commander";
import * as api from "../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { age, bytes, time } from "../lib/format-values";
import { addUnaryCommand } from "../lib/node-command";
import { warnFallback } from "../lib/warn-fallback";

/** The read-only inspection commands: one unary RPC each, shown per node. */
export function addInspectCommands(program: Command): void {
  addUnaryCommand(program, {
    name: "version",
    description: "show agent, OS image, boot slot and kernel versions",
    schema: api.VersionResponseSchema,
    call: (c) => c.version({}),
    columns: ["role", "agent", "image", "slot", "kernel", "arch", "platform"],
    rows: (r) => [[r.role, r.agentVersion, r.osImageVersion, r.slot, r.kernel, r.arch, r.platform]],
    notice: (node, r) => warnFallback(node, r.unacknowledgedFallback),
  });
  addUnaryCommand(program, {
    name: "hostname",
    description: "show the node's hostname",
    schema: api.HostnameResponseSchema,
    call: (c) => c.hostname({}),
    columns: ["hostname"],
    rows: (r) => [[r.hostname]],
  });
  addUnaryCommand(program, {
    name: "services",
    aliases: ["service", "svc"],
    description: "list system services with their state and health",
    schema: api.ServiceListResponseSchema,
    call: (c) => c.serviceList({}),
    columns: ["service", "state", "healthy", "restarts", "pid", "since", "depends on"],
    rows: (r) =>
      r.services.map((s) => [
        s.id,
        s.state,
        s.healthy,
        s.restarts,
        s.pid || "",
        age(s.lastChange),
        s.dependsOn.join(","),
      ]),
  });
  addUnaryCommand(program, {
    name: "processes",
    aliases: ["ps"],
    description: "list processes",
    schema: api.ProcessesResponseSchema,
    call: (c) => c.processes({}),
    columns: ["pid", "state", "threads", "cpu-time", "rss", "command"],
    rows: (r) =>
      r.processes.map((p) => [
        p.pid,
        p.state,
        p.threads,
        p.cpuSeconds.toFixed(2),
        bytes(p.residentBytes),
        [p.command, ...p.args.slice(1)].join(" ").slice(0, 80),
      ]),
  });
  addUnaryCommand(program, {
    name: "memory",
    aliases: ["mem"],
    description: "show memory usage",
    schema: api.MemoryResponseSchema,
    call: (c) => c.memory({}),
    columns: ["total", "used", "free", "available", "buffers", "cached", "swap total", "swap free"],
    rows: (r) => [
      [
        bytes(r.totalBytes),
        bytes(r.totalBytes - r.availableBytes),
        bytes(r.freeBytes),
        bytes(r.availableBytes),
        bytes(r.buffersBytes),
        bytes(r.cachedBytes),
        bytes(r.swapTotalBytes),
        bytes(r.swapFreeBytes),
      ],
    ],
  });
  addUnaryCommand(program, {
    name: "cpu",
    description: "show CPUs and load",
    schema: api.CpuResponseSchema,
    call: (c) => c.cpu({}),
    columns: ["cpus", "model", "load 1m", "load 5m", "load 15m", "procs running/total"],
    rows: (r) => [
      [
        r.cores.length,
        r.cores[0]?.model ?? "",
        r.load1,
        r.load5,
        r.load15,
        `${r.runningProcesses}/${r.totalProcesses}`,
      ],
    ],
  });
  addUnaryCommand(program, {
    name: "mounts",
    description: "list mounted filesystems",
    schema: api.MountsResponseSchema,
    call: (c) => c.mounts({}),
    columns: ["source", "target", "type", "size", "available"],
    rows: (r) =>
      r.mounts.map((m) => [
        m.source,
        m.target,
        m.filesystem,
        m.sizeBytes ? bytes(m.sizeBytes) : "",
        m.sizeBytes ? bytes(m.availableBytes) : "",
      ]),
  });
  addUnaryCommand(program, {
    name: "disks",
    description: "list block devices",
    schema: api.DisksResponseSchema,
    call: (c) => c.disks({}),
    columns: ["name", "type", "size", "model", "serial", "rotational", "read-only", "parent"],
    rows: (r) =>
      r.disks.map((d) => [
        d.name,
        d.type,
        bytes(d.sizeBytes),
        d.model,
        d.serial,
        d.rotational,
        d.readOnly,
        d.parent,
      ]),
  });
  addUnaryCommand(program, {
    name: "links",
    description: "list network links",
    schema: api.NetworkLinksResponseSchema,
    call: (c) => c.networkLinks({}),
    columns: ["link", "index", "state", "mtu", "hardware address", "kind", "rx", "tx"],
    rows: (r) =>
      r.links.map((l) => [
        l.name,
        l.index,
        l.state,
        l.mtu,
        l.hardwareAddress,
        l.kind,
        bytes(l.rxBytes),
        bytes(l.txBytes),
      ]),
  });
  addUnaryCommand(program, {
    name: "addresses",
    aliases: ["addr"],
    description: "list network addresses",
    schema: api.NetworkAddressesResponseSchema,
    call: (c) => c.networkAddresses({}),
    columns: ["link", "family", "address", "scope"],
    rows: (r) => r.addresses.map((a) => [a.link, a.family, a.address, a.scope]),
  });
  addUnaryCommand(program, {
    name: "routes",
    description: "list network routes",
    schema: api.NetworkRoutesResponseSchema,
    call: (c) => c.networkRoutes({}),
    columns: ["family", "destination", "gateway", "link", "metric", "table", "scope", "protocol"],
    rows: (r) =>
      r.routes.map((x) => [
        x.family,
        x.destination,
        x.gateway,
        x.link,
        x.metric,
        x.table,
        x.scope,
        x.protocol,
      ]),
  });
  addUnaryCommand(program, {
    name: "time",
    description: "show the node's clock",
    schema: api.TimeResponseSchema,
    call: (c) => c.time({}),
    columns: ["node time", "boot time", "timezone", "synchronized"],
    rows: (r) => [[time(r.nodeTime), time(r.bootTime), r.timezone, r.synchronized]],
  });
}
