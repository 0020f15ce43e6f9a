import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";

/** FAT cannot store times before 1980: every file gets this one, so the same ESP gives the same bytes. */
const fixedTime = new Date("1980-01-01T00:00:00Z");

/**
 * An EFI system partition image built from a folder, without root or loop
 * devices: mkfs.fat on a plain file (fixed volume id, --invariant), then
 * the folder copied in with mtools, keeping the (fixed) times.
 */
export function espImage(folder: string, output: string, sizeMiB: number): void {
  fixTimes(folder);
  execFileSync("mkfs.fat", [
    "-C",
    "--invariant",
    "-F",
    "32",
    "-n",
    "KEELSON-ESP",
    "-i",
    "4b454c53",
    output,
    String(sizeMiB * 1024),
  ]);
  const top = readdirSync(folder).map((name) => join(folder, name));
  execFileSync("mcopy", ["-s", "-m", "-Q", "-i", output, ...top, "::/"], {
    env: { ...process.env, MTOOLS_SKIP_CHECK: "1", SOURCE_DATE_EPOCH: "315532800" },
  });
}

function fixTimes(path: string): void {
  if (statSync(path).isDirectory())
    for (const name of readdirSync(path)) fixTimes(join(path, name));
  utimesSync(path, fixedTime, fixedTime);
}

/** The ESP's folders, as systemd-boot and the firmware look for them. */
export function espFolders(root: string): { bootloader: string; slots: string } {
  const bootloader = join(root, "EFI", "BOOT");
  mkdirSync(bootloader, { recursive: true });
  mkdirSync(join(root, "loader", "entries"), { recursive: true });
  return { bootloader, slots: join(root, "keelson") };
}
