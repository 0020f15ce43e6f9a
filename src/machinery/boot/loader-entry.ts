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

/** systemd-boot refuses counters past a C int: such an entry is bootable but uncounted. */
export const maxCounter = 2147483647;

/**
 * Splits `NAME+LEFT[-DONE].conf` into its parts as systemd-boot does
 * (config_entry_parse_tries): the counter is the last "+" followed by
 * digits, optionally "-" and digits, right before the suffix (compared
 * without case, as Debian's 252 does); anything else leaves the entry
 * uncounted, its whole stem the name. Undefined for a file that is no entry.
 */
export function parseEntryFileName(
  file: string,
): Pick<LoaderEntry, "name" | "triesLeft" | "triesDone"> | undefined {
  if (!file.toLowerCase().endsWith(".conf")) return undefined;
  const stem = file.slice(0, -".conf".length);
  const match = /^(.*)\+(\d+)(?:-(\d+))?$/.exec(stem);
  if (!match) return { name: stem };
  const left = Number(match[2]);
  const done = match[3] === undefined ? 0 : Number(match[3]);
  if (left > maxCounter || done > maxCounter) return { name: stem };
  return { name: match[1] ?? "", triesLeft: left, triesDone: done };
}

export function entryFileName(name: string, triesLeft?: number, triesDone = 0): string {
  if (triesLeft === undefined) return `${name}.conf`;
  return `${name}+${triesLeft}${triesDone > 0 ? `-${triesDone}` : ""}.conf`;
}

/**
 * "key value" lines as systemd-boot reads them (line_get_key_value): lines
 * end at "\n" or "\r", "#" starts a comment, a value wrapped in quotes is
 * unquoted, `options` lines join with spaces, any other repeated key keeps
 * its last value.
 */
export function parseEntryText(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split(/[\r\n]/)) {
    const line = raw.replace(/^[ \t]+|[ \t]+$/g, "");
    if (!line || line.startsWith("#")) continue;
    const at = line.search(/[ \t]/);
    if (at < 0) continue;
    const key = line.slice(0, at);
    let value = line.slice(at).replace(/^[ \t]+/, "");
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"'))
      value = value.slice(1, -1);
    fields[key] = key === "options" && fields.options ? `${fields.options} ${value}` : value;
  }
  return fields;
}

export function formatEntryText(fields: Record<string, string>): string {
  return `${Object.entries(fields)
    .map(([key, value]) => `${key} ${value}`)
    .join("\n")}\n`;
}
