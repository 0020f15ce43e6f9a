/**
 * A Boot Loader Specification (type 1) entry as systemd-boot reads it:
 * `loader/entries/ID[+LEFT[-DONE]].conf`, one "key value" per line.
 * Keelson writes one entry per slot: `keelson-a.conf`, `keelson-b+3.conf`.
 */
export interface LoaderEntry {
  /** The file name, counters included (systemd-boot 252's entry id, lowercased). */
  file: string;
  /** The name without counters or suffix ("keelson-b"). */
  name: string;
  /** Boot counting: tries left and done; undefined for an entry without a counter (committed). */
  triesLeft?: number;
  triesDone?: number;
  fields: Record<string, string>;
}

/**
 * Splits `NAME+LEFT[-DONE].conf` into its parts as systemd-boot does: the
 * counter is the last "+" followed by digits, optionally "-" and digits,
 * right before the suffix; anything else is part of the name.
 */
export function parseEntryFileName(
  file: string,
): Pick<LoaderEntry, "name" | "triesLeft" | "triesDone"> | undefined {
  if (!file.toLowerCase().endsWith(".conf")) return undefined;
  const stem = file.slice(0, -".conf".length);
  const match = /^(.*)\+(\d+)(?:-(\d+))?$/.exec(stem);
  if (!match?.[1]) return { name: stem };
  const left = Number(match[2]);
  const done = match[3] === undefined ? 0 : Number(match[3]);
  if (!Number.isSafeInteger(left) || !Number.isSafeInteger(done)) return { name: stem };
  return { name: match[1], triesLeft: left, triesDone: done };
}

export function entryFileName(name: string, triesLeft?: number, triesDone = 0): string {
  if (triesLeft === undefined) return `${name}.conf`;
  return `${name}+${triesLeft}${triesDone > 0 ? `-${triesDone}` : ""}.conf`;
}

/** "key value" lines; "#" comments and blank lines ignored; a repeated key keeps its last value. */
export function parseEntryText(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const at = line.search(/\s/);
    if (at < 0) continue;
    fields[line.slice(0, at)] = line.slice(at).trim();
  }
  return fields;
}

export function formatEntryText(fields: Record<string, string>): string {
  return `${Object.entries(fields)
    .map(([key, value]) => `${key} ${value}`)
    .join("\n")}\n`;
}
