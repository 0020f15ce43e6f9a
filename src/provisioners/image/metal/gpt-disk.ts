import { execFileSync } from "node:child_process";
import {
  closeSync,
  openSync,
  readSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";

/** One partition of the disk: its GPT name, type, size, and what is written into it. */
export interface PartitionSpec {
  name: string;
  type: string;
  uuid: string;
  sizeMiB: number;
  /** An image file copied to the partition's start (the rest stays zero). */
  content?: string;
}

export const partitionTypes = {
  esp: "C12A7328-F81F-11D2-BA4B-00A0C93EC93B",
  rootX86_64: "4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709",
  linuxData: "0FC63DAF-8483-4772-8E79-3D69D8477DE4",
} as const;

const mib = 1024 * 1024;

/**
 * A raw GPT disk on a plain file, no root and no loop device: sfdisk writes
 * the table (fixed disk and partition UUIDs, 1 MiB aligned), then each
 * partition's image is copied at its offset. Returns each partition's
 * first byte.
 */
export function writeGptDisk(
  output: string,
  diskId: string,
  partitions: readonly PartitionSpec[],
): Map<string, number> {
  for (const p of partitions)
    if (p.content && statSync(p.content).size > p.sizeMiB * mib)
      throw new Error(`${p.name}: its image does not fit in ${p.sizeMiB} MiB`);
  const total = 2 + partitions.reduce((sum, p) => sum + p.sizeMiB, 0);
  writeFileSync(output, "");
  truncateSync(output, total * mib);
  const script = [
    "label: gpt",
    `label-id: ${diskId}`,
    "first-lba: 2048",
    ...partitions.map(
      (p) => `size=${p.sizeMiB}MiB, type=${p.type}, uuid=${p.uuid}, name="${p.name}"`,
    ),
  ].join("\n");
  execFileSync("sfdisk", ["--quiet", "--no-reread", "--no-tell-kernel", output], {
    input: `${script}\n`,
  });
  const starts = new Map<string, number>();
  let offset = mib;
  for (const p of partitions) {
    starts.set(p.name, offset);
    if (p.content) copyInto(p.content, output, offset);
    offset += p.sizeMiB * mib;
  }
  return starts;
}

/** dd conv=notrunc, in process. */
function copyInto(source: string, target: string, offset: number): void {
  const from = openSync(source, "r");
  const to = openSync(target, "r+");
  try {
    const buffer = Buffer.alloc(4 * mib);
    for (let at = 0; ; ) {
      const n = readSync(from, buffer, 0, buffer.length, at);
      if (n === 0) break;
      writeSync(to, buffer, 0, n, offset + at);
      at += n;
    }
  } finally {
    closeSync(from);
    closeSync(to);
  }
}
