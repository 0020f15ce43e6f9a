import { access, mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { KeelsonError } from "../../errors";

export interface OutputFile {
  path: string;
  content: string;
  /** Configs and bundles hold private keys: owner-only unless said otherwise. */
  mode?: number;
}

/**
 * Writes a set of files, refusing to overwrite any unless `force`: every
 * existing file is checked before the first is written, so a refusal leaves
 * nothing half-generated. Each file is written atomically.
 */
export async function writeNewFiles(files: readonly OutputFile[], force = false): Promise<void> {
  if (!force) {
    const existing = (
      await Promise.all(files.map(async (f) => ((await exists(f.path)) ? f.path : undefined)))
    ).filter((path) => path !== undefined);
    if (existing.length > 0)
      throw new KeelsonError(
        "alreadyExists",
        `refusing to overwrite ${existing.join(", ")}`,
        "pass --force to overwrite",
      );
  }
  for (const file of files) {
    await mkdir(dirname(file.path), { recursive: true, mode: 0o700 });
    const tmp = `${file.path}.${process.pid}.tmp`;
    await writeFile(tmp, file.content, { mode: file.mode ?? 0o600 });
    await rename(tmp, file.path);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
