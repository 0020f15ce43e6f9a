import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { LoaderVariables } from "../../../machinery/boot";

/** The vendor GUID of the variables systemd-boot sets for the OS (the Boot Loader Interface). */
const loaderGuid = "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f";

/**
 * The boot loader's variables as efivarfs shows them: four bytes of
 * attributes, then a NUL-terminated UTF-16LE string. The only ones the agent
 * changes are volatile (LoaderBootCountPath, cleared once a try is blessed):
 * the change is kept for this boot, in memory, as the firmware itself drops
 * them at the next reset. efivarfs marks such files immutable, so writing
 * them would take an ioctl Node.js does not have, for nothing.
 */
export class EfiVariables implements LoaderVariables {
  private readonly changed = new Map<string, string | undefined>();

  constructor(private readonly dir: string) {}

  get(name: string): string | undefined {
    if (this.changed.has(name)) return this.changed.get(name);
    try {
      return decodeVariable(readFileSync(join(this.dir, `${name}-${loaderGuid}`)));
    } catch {
      return undefined;
    }
  }

  set(name: string, value: string | undefined): void {
    this.changed.set(name, value);
  }
}

export function decodeVariable(data: Buffer): string {
  const text = data.subarray(4).toString("utf16le");
  const end = text.indexOf("\0");
  return end < 0 ? text : text.slice(0, end);
}

/** A variable's bytes as efivarfs holds them (boot-service, runtime, volatile): for tests. */
export function encodeVariable(value: string): Buffer {
  return Buffer.concat([Buffer.from([6, 0, 0, 0]), Buffer.from(`${value}\0`, "utf16le")]);
}
