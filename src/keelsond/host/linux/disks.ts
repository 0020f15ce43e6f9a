import { readdir, realpath } from "node:fs/promises";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { DiskSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";
import { mapLimited } from "./map-limited";
import { readAttribute, readNumberAttribute } from "./read-proc";

type Disk = MessageInitShape<typeof DiskSchema>;

/** sysfs sizes are in 512-byte sectors whatever the device's block size. */
const SECTOR = 512n;

/**
 * Block devices from /sys/block, each followed by its partitions. Loop
 * devices with nothing attached (size 0) are left out, as lsblk does.
 */
export async function readDisks(): Promise<Disk[]> {
  const names = (await readdir("/sys/block")).sort();
  const groups = await mapLimited(names, 16, readDiskWithPartitions);
  return groups.flat();
}

async function readDiskWithPartitions(name: string): Promise<Disk[]> {
  const dir = `/sys/block/${name}`;
  const disk = await readDisk(name, dir);
  if (!disk || (disk.type === "loop" && disk.sizeBytes === 0n)) return [];
  const partitionNames = await partitionsOf(name, dir);
  const partitions = await Promise.all(
    partitionNames.map((part) => readPartition(part, `${dir}/${part}`, disk)),
  );
  return [disk, ...partitions];
}

/** Undefined when the device disappeared while we read it (a loop detached). */
async function readDisk(name: string, dir: string): Promise<Disk | undefined> {
  const sectors = await readNumberAttribute(`${dir}/size`);
  if (sectors === undefined) return undefined;
  return {
    name,
    sizeBytes: BigInt(sectors) * SECTOR,
    model: (await readAttribute(`${dir}/device/model`)) ?? "",
    // SCSI/NVMe put the serial under device/, virtio-blk beside size.
    serial:
      (await readAttribute(`${dir}/device/serial`)) ?? (await readAttribute(`${dir}/serial`)) ?? "",
    rotational: (await readAttribute(`${dir}/queue/rotational`)) === "1",
    readOnly: (await readAttribute(`${dir}/ro`)) === "1",
    removable: (await readAttribute(`${dir}/removable`)) === "1",
    type: await diskType(name, dir),
    parent: "",
  };
}

/** Devices with no hardware behind them (zram, dm, md, ram) live under /sys/devices/virtual. */
async function diskType(name: string, dir: string): Promise<string> {
  if (name.startsWith("loop")) return "loop";
  const real = await realpath(dir).catch(() => dir);
  return real.includes("/devices/virtual/") ? "virtual" : "disk";
}

/** Partitions are subdirectories named after the disk (vda1, nvme0n1p1) with a partition file. */
async function partitionsOf(name: string, dir: string): Promise<string[]> {
  const entries = (await readdir(dir).catch(() => [])).filter((e) => e.startsWith(name));
  const found = await Promise.all(
    entries.map(async (entry) => ((await readAttribute(`${dir}/${entry}/partition`)) ? entry : "")),
  );
  return found.filter((entry) => entry !== "").sort();
}

async function readPartition(name: string, dir: string, disk: Disk): Promise<Disk> {
  const sectors = (await readNumberAttribute(`${dir}/size`)) ?? 0;
  return {
    name,
    sizeBytes: BigInt(sectors) * SECTOR,
    model: "",
    serial: "",
    rotational: disk.rotational ?? false,
    readOnly: (await readAttribute(`${dir}/ro`)) === "1" || (disk.readOnly ?? false),
    removable: disk.removable ?? false,
    type: "partition",
    parent: disk.name ?? "",
  };
}
