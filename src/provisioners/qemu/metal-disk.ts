import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { KeelsonError } from "../../machinery/errors";
import { partitionTypes } from "../image/metal/gpt-disk";

interface GptTable {
  partitiontable?: { label?: string; partitions?: { name?: string; type?: string }[] };
}

/**
 * Checks that IMAGE is a Keelson metal disk for this machine's architecture
 * and fits a disk of DISK_GIB; returns that disk's size in bytes. Every
 * refusal says what was wrong before a machine is made.
 */
export function checkMetalDisk(image: string, diskGiB: number): number {
  if (!existsSync(image))
    throw new KeelsonError(
      "notFound",
      `no disk image at ${image}`,
      "build one with keelctl image build --target metal",
    );
  let table: GptTable;
  try {
    table = JSON.parse(
      execFileSync("sfdisk", ["--json", image], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }),
    );
  } catch {
    table = {};
  }
  const partitions =
    table.partitiontable?.label === "gpt" ? (table.partitiontable.partitions ?? []) : [];
  const root = partitions.find((p) => p.name === "KEELSON-ROOT-A");
  if (!root || !partitions.some((p) => p.name === "KEELSON-ESP"))
    throw new KeelsonError(
      "invalidArgument",
      `${image} is not a Keelson metal disk image (no KEELSON-ESP and KEELSON-ROOT-A partitions)`,
      "give the .raw disk that keelctl image build --target metal wrote",
    );
  if (root.type?.toUpperCase() !== partitionTypes.rootX86_64)
    throw new KeelsonError(
      "invalidArgument",
      `${image} is built for another architecture (its root partition type is ${root.type}); these machines are x86-64`,
      "build the image for amd64",
    );
  const bytes = Math.round(diskGiB * 2 ** 30);
  const needed = statSync(image).size;
  if (!(bytes >= needed))
    throw new KeelsonError(
      "invalidArgument",
      `--disk ${diskGiB} GiB is smaller than the image (${Math.ceil(needed / 2 ** 20)} MiB)`,
      `give each node at least ${Math.ceil((needed / 2 ** 30) * 10) / 10} GiB`,
    );
  return bytes;
}
