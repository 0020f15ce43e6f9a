import { entryFileName, type LoaderEntry } from "./loader-entry";
import type { LoaderVariables } from "./loader-variables";
import { compareVersions } from "./version-compare";

const noCounter = Number.POSITIVE_INFINITY;

/** systemd-boot 252's entry id: the whole file name, counters and suffix included, lowercased. */
export function entryId(entry: Pick<LoaderEntry, "file">): string {
  return entry.file.toLowerCase();
}

/**
 * systemd-boot's boot_entry_compare (src/boot/efi/boot.c): entries with no
 * tries left go last; entries with a sort-key before those without; then
 * by sort-key, machine-id, and version (newest first); then by id (newest
 * first); finally, of otherwise equal counted entries, more tries left,
 * then fewer done, first.
 */
export function compareEntries(a: LoaderEntry, b: LoaderEntry): number {
  const leftA = a.triesLeft ?? noCounter;
  const leftB = b.triesLeft ?? noCounter;
  const spent = Number(leftA === 0) - Number(leftB === 0);
  if (spent !== 0) return spent;
  const keyA = a.fields["sort-key"];
  const keyB = b.fields["sort-key"];
  const keyed = Number(!keyA) - Number(!keyB);
  if (keyed !== 0) return keyed;
  if (keyA && keyB) {
    if (keyA !== keyB) return keyA < keyB ? -1 : 1;
    const machineA = a.fields["machine-id"] ?? "";
    const machineB = b.fields["machine-id"] ?? "";
    if (machineA !== machineB) return machineA < machineB ? -1 : 1;
    const version = -compareVersions(a.fields.version, b.fields.version);
    if (version !== 0) return version;
  }
  const id = -compareVersions(entryId(a), entryId(b));
  if (id !== 0) return id;
  if (leftA === noCounter || leftB === noCounter) return 0;
  if (leftA !== leftB) return leftA > leftB ? -1 : 1;
  return Math.sign((a.triesDone ?? 0) - (b.triesDone ?? 0));
}

/**
 * systemd's glob matching of ids against default/oneshot patterns
 * (`*`, `?`, `[…]`), case-insensitive as ids are lowercased.
 */
export function matchesPattern(id: string, pattern: string): boolean {
  let regex = "^";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") regex += ".*";
    else if (c === "?") regex += ".";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) regex += "\\[";
      else {
        regex += `[${pattern.slice(i + 1, end).replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else regex += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`${regex}$`, "i").test(id);
}

/**
 * The entry systemd-boot boots without a person at the menu: the first
 * entry, in sorted order, matching LoaderEntryOneShot, else
 * LoaderEntryDefault, else loader.conf's `default`, else the first entry.
 * A pattern is matched against every entry, spent ones included (252 does
 * not skip them): Keelson's pattern covers both slots, so order decides.
 */
export function selectEntry(
  entries: readonly LoaderEntry[],
  loaderConf: Record<string, string>,
  variables?: Pick<LoaderVariables, "get">,
): LoaderEntry | undefined {
  const sorted = [...entries].sort(compareEntries);
  const patterns = [
    variables?.get("LoaderEntryOneShot"),
    variables?.get("LoaderEntryDefault"),
    loaderConf.default,
  ];
  for (const pattern of patterns) {
    if (!pattern) continue;
    const match = sorted.find((e) => matchesPattern(entryId(e), pattern.toLowerCase()));
    if (match) return match;
  }
  return sorted[0];
}

/** What systemd-boot renames a counted entry to just before booting it: one try fewer, one more done. */
export function bumpedFileName(entry: LoaderEntry): string {
  if (entry.triesLeft === undefined) return entry.file;
  return entryFileName(entry.name, Math.max(0, entry.triesLeft - 1), (entry.triesDone ?? 0) + 1);
}
