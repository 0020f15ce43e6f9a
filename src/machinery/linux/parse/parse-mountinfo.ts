import { parseEachLine } from "./fields";

export interface MountEntry {
  source: string;
  target: string;
  filesystem: string;
  /** Per-mount options first, then superblock options not already listed. */
  options: string[];
}

/**
 * /proc/self/mountinfo (proc(5)): "id parent maj:min root target opts
 * [optional...] - fstype source superopts". Lines without the "-" separator
 * are skipped.
 */
export function parseMountinfo(text: string): MountEntry[] {
  return parseEachLine(text, parseLine);
}

function parseLine(parts: string[]): MountEntry | undefined {
  const separator = parts.indexOf("-", 6);
  const target = parts[4];
  const mountOptions = parts[5];
  const filesystem = parts[separator + 1];
  const source = parts[separator + 2];
  if (separator < 0 || !target || !mountOptions || !filesystem || source === undefined) {
    return undefined;
  }
  const options = mountOptions.split(",");
  for (const option of (parts[separator + 3] ?? "").split(",")) {
    if (option !== "" && !options.includes(option)) options.push(option);
  }
  return {
    source: decodeOctalEscapes(source),
    target: decodeOctalEscapes(target),
    filesystem: decodeOctalEscapes(filesystem),
    options: options.map(decodeOctalEscapes),
  };
}

/** The kernel writes space, tab, newline and backslash in paths as \040, \011, \012, \134. */
export function decodeOctalEscapes(text: string): string {
  return text.replace(/\\([0-3][0-7]{2})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );
}
