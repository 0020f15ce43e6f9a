import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, join } from "node:path";
import { type LoaderEntry, parseEntryFileName, parseEntryText } from "./loader-entry";

/**
 * A boot partition as systemd-boot sees it (`loader/loader.conf`,
 * `loader/entries/*.conf`). Every change is a write to a new file and a
 * rename, each synced, so a power loss leaves either the old entry or the
 * new one, never a torn file.
 */
export class LoaderDirectory {
  readonly entriesDir: string;

  constructor(readonly root: string) {
    this.entriesDir = join(root, "loader", "entries");
  }

  entries(): LoaderEntry[] {
    let files: string[];
    try {
      files = readdirSync(this.entriesDir);
    } catch {
      return [];
    }
    const entries: LoaderEntry[] = [];
    for (const file of files.sort()) {
      // systemd-boot skips hidden files and its own auto- names (case-sensitively).
      if (file.startsWith(".") || file.startsWith("auto-")) continue;
      const parsed = parseEntryFileName(file);
      if (!parsed) continue;
      let text = "";
      try {
        text = readFileSync(join(this.entriesDir, file), "utf8");
      } catch {
        continue; // Renamed meanwhile.
      }
      entries.push({ file, ...parsed, fields: parseEntryText(text) });
    }
    return entries;
  }

  loaderConf(): Record<string, string> {
    try {
      return parseEntryText(readFileSync(join(this.root, "loader", "loader.conf"), "utf8"));
    } catch {
      return {};
    }
  }

  writeLoaderConf(text: string): void {
    this.writeAtomically(join(this.root, "loader", "loader.conf"), text);
  }

  writeEntry(file: string, text: string): void {
    this.writeAtomically(join(this.entriesDir, file), text);
  }

  rename(from: string, to: string): void {
    if (from === to) return;
    renameSync(join(this.entriesDir, from), join(this.entriesDir, to));
    syncDir(this.entriesDir);
  }

  remove(file: string): void {
    rmSync(join(this.entriesDir, file), { force: true });
    syncDir(this.entriesDir);
  }

  private writeAtomically(path: string, text: string): void {
    const dir = join(path, "..");
    mkdirSync(dir, { recursive: true });
    // Hidden and not .conf: a temporary file left by a crash is never an entry.
    const temp = join(dir, `.${basename(path)}.tmp`);
    writeFileSync(temp, text);
    const fd = openSync(temp, "r");
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
    syncDir(dir);
  }
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
