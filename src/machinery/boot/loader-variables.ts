import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The EFI variables systemd-boot sets for the booted system: which entry it
 * chose (LoaderEntrySelected) and which file carries the boot counter it
 * just spent (LoaderBootCountPath, relative to the boot partition), plus
 * LoaderEntryOneShot/LoaderEntryDefault, which it reads.
 */
export interface LoaderVariables {
  get(name: string): string | undefined;
  set(name: string, value: string | undefined): void;
}

/**
 * Variables as plain files in a folder: what a process node's launcher
 * (playing the firmware) and its agent share. The image reads efivarfs.
 */
export class FileVariables implements LoaderVariables {
  constructor(private readonly dir: string) {}

  get(name: string): string | undefined {
    try {
      return readFileSync(join(this.dir, name), "utf8");
    } catch {
      return undefined;
    }
  }

  set(name: string, value: string | undefined): void {
    mkdirSync(this.dir, { recursive: true });
    if (value === undefined) rmSync(join(this.dir, name), { force: true });
    else writeFileSync(join(this.dir, name), value);
  }
}
