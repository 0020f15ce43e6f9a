import { entryFileName, type LoaderEntry, maxCounter } from "./loader-entry";
import type { LoaderVariables } from "./loader-variables";
import { compareVersions } from "./version-compare";

const noCounter = Number.POSITIVE_INFINITY;

/** systemd-boot 252's entry id: the whole file name, counters and suffix included, lowercased (ASCII). */
export function entryId(entry: Pick<LoaderEntry, "file">): string {
  return asciiLower(entry.file);
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
 * systemd-boot's efi_fnmatch: `*` any run, `?` one character, `[…]` a set
 * with ranges (no negation: `!` and `^` are members), `\x` a literal x; the
 * whole id must match. Both sides are lowercased first (ASCII only).
 */
export function matchesPattern(id: string, pattern: string): boolean {
  return globMatch(asciiLower(pattern), 0, asciiLower(id), 0);
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

function globMatch(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi] as string;
    if (c === "*") {
      for (let k = si; k <= s.length; k++) if (globMatch(p, pi + 1, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === "?") {
      pi++;
      si++;
      continue;
    }
    if (c === "[") {
      const set = parseSet(p, pi + 1);
      if (!set?.has(s[si] as string)) return false;
      pi = set.end;
      si++;
      continue;
    }
    const literal = c === "\\" ? p[pi + 1] : c;
    if (literal === undefined || literal !== s[si]) return false;
    pi += c === "\\" ? 2 : 1;
    si++;
  }
  return si === s.length;
}

/** A `[…]` set starting after its "[": its members and where the pattern goes on; undefined if unterminated. */
function parseSet(p: string, from: number): { has(c: string): boolean; end: number } | undefined {
  const members: ((c: string) => boolean)[] = [];
  let i = from;
  for (let first = true; ; first = false) {
    if (i >= p.length) return undefined;
    if (p[i] === "]" && !first) break;
    let low = p[i] as string;
    if (low === "\\") low = p[++i] ?? "";
    i++;
    if (p[i] === "-" && i + 1 < p.length && p[i + 1] !== "]") {
      let high = p[i + 1] as string;
      i += 2;
      if (high === "\\") high = p[i++] ?? "";
      const lo = low;
      members.push((c) => c >= lo && c <= high);
    } else members.push((c) => c === low);
  }
  return { has: (c) => members.some((m) => m(c)), end: i + 1 };
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
  // loader.conf's "@…" defaults other than @saved are refused by systemd-boot; @saved is not used here.
  const configured = loaderConf.default?.startsWith("@") ? undefined : loaderConf.default;
  const patterns = [
    variables?.get("LoaderEntryOneShot"),
    variables?.get("LoaderEntryDefault"),
    configured,
  ];
  for (const pattern of patterns) {
    if (!pattern) continue;
    const match = sorted.find((e) => matchesPattern(entryId(e), pattern));
    if (match) return match;
  }
  return sorted[0];
}

/** What systemd-boot renames a counted entry to just before booting it: one try fewer, one more done. */
export function bumpedFileName(entry: LoaderEntry): string {
  if (entry.triesLeft === undefined) return entry.file;
  const done = Math.min((entry.triesDone ?? 0) + 1, maxCounter);
  return entryFileName(entry.name, Math.max(0, entry.triesLeft - 1), done);
}
