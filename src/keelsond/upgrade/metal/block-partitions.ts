import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { KeelsonError } from "../../../machinery/errors";

export interface Partition {
  /** Its device node (devtmpfs names it, e.g. /dev/vda3). */
  device: string;
  bytes: number;
}

/**
 * The partition whose GPT name is `label`, as the kernel lists it: there is
 * no udev on the image, so no /dev/disk/by-partlabel, but every block
 * device's uevent says its PARTNAME and DEVNAME.
 */
export function partitionByLabel(
  label: string,
  sysBlock = "/sys/class/block",
  dev = "/dev",
): Partition {
  for (const name of readdirSync(sysBlock)) {
    let uevent: string;
    try {
      uevent = readFileSync(join(sysBlock, name, "uevent"), "utf8");
    } catch {
      continue;
    }
    const field = (key: string) => new RegExp(`^${key}=(.*)$`, "m").exec(uevent)?.[1];
    if (field("PARTNAME") !== label) continue;
    const sectors = Number(readFileSync(join(sysBlock, name, "size"), "utf8").trim());
    return { device: join(dev, field("DEVNAME") ?? name), bytes: sectors * 512 };
  }
  throw new KeelsonError(
    "failedPrecondition",
    `no partition named ${label} on this machine`,
    "the disk is not a Keelson metal image, or its partition table was changed",
  );
}

/** The machine's whole disks (/dev/NAME), as /sys/block lists them: no loop, RAM or mapped devices. */
export function wholeDisks(sysBlock = "/sys/block"): string[] {
  return readdirSync(sysBlock)
    .filter((name) => !/^(loop|ram|zram|dm-|sr|md)\d/.test(name))
    .sort()
    .map((name) => `/dev/${name}`);
}
