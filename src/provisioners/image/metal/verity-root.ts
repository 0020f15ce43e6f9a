import { execFileSync } from "node:child_process";
import { statSync, truncateSync } from "node:fs";
import type { VerityRoot } from "../../../machinery/boot";

export const verityBlock = 4096;
/** Fixed, so the same root gives the same hash tree; the root hash is what is secret-free and checked. */
const salt = "4b45454c534f4e2d524f4f542d564552495459".padEnd(64, "0");

/**
 * Turns a squashfs file into a root partition image: the filesystem padded
 * to 4 KiB blocks, then its dm-verity hash tree (veritysetup format, no
 * superblock) in the same file. Any changed byte of the filesystem then
 * fails its read at boot.
 */
export function appendVerity(file: string): VerityRoot {
  const dataBlocks = Math.ceil(statSync(file).size / verityBlock);
  truncateSync(file, dataBlocks * verityBlock);
  const out = execFileSync(
    "veritysetup",
    [
      "format",
      "--no-superblock",
      `--hash-offset=${dataBlocks * verityBlock}`,
      `--data-blocks=${dataBlocks}`,
      `--salt=${salt}`,
      file,
      file,
    ],
    { encoding: "utf8" },
  );
  const rootHash = /Root hash:\s*([0-9a-f]+)/.exec(out)?.[1];
  if (!rootHash) throw new Error(`veritysetup printed no root hash: ${out}`);
  return { dataBlocks, hashStartBlock: dataBlocks, rootHash, salt };
}
