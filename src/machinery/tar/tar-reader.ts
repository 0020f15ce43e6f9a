import { KeelsonError } from "../errors";
import { blockSize, type TarEntry } from "./tar-entry";

const byFlag: Record<string, TarEntry["type"]> = {
  "0": "file",
  "\u0000": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "5": "dir",
};

/**
 * Reads a whole tar archive (ustar, pax and GNU long names) into its entries.
 * Anything that is not a tar archive fails with invalidArgument: callers pass
 * user-supplied archives straight in.
 */
export function readTar(archive: Buffer, what = "archive"): TarEntry[] {
  const entries: TarEntry[] = [];
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  for (let at = 0; at + blockSize <= archive.length; ) {
    const block = archive.subarray(at, at + blockSize);
    if (block.every((b) => b === 0)) break;
    verifyChecksum(block, what);
    const size = Number(pax.size ?? parseOctal(block, 124, 12));
    const data = archive.subarray(at + blockSize, at + blockSize + size);
    if (data.length < size) throw invalid(what, "it ends in the middle of an entry");
    at += blockSize + Math.ceil(size / blockSize) * blockSize;
    const flag = String.fromCharCode(block[156] ?? 0);
    if (flag === "x") pax = { ...pax, ...parsePax(data) };
    else if (flag === "L") longName = cString(data, 0, data.length);
    else if (flag !== "g") {
      const entry = toEntry(block, data, pax, longName);
      if (entry) entries.push(entry);
      pax = {};
      longName = undefined;
    }
  }
  if (entries.length === 0) throw invalid(what, "it holds no files");
  return entries;
}

function toEntry(
  block: Buffer,
  data: Buffer,
  pax: Record<string, string>,
  longName: string | undefined,
): TarEntry | undefined {
  const type = byFlag[String.fromCharCode(block[156] ?? 0)];
  if (!type) return undefined;
  const prefix = cString(block, 345, 155);
  const name = pax.path ?? longName ?? (prefix ? `${prefix}/` : "") + cString(block, 0, 100);
  return {
    path: name.replace(/^(\.\/|\/)+/, "").replace(/\/+$/, ""),
    type,
    mode: parseOctal(block, 100, 8),
    uid: parseOctal(block, 108, 8),
    gid: parseOctal(block, 116, 8),
    mtime: parseOctal(block, 136, 12),
    data: type === "file" ? data : undefined,
    linkTarget:
      type === "symlink" || type === "hardlink"
        ? (pax.linkpath ?? cString(block, 157, 100))
        : undefined,
  };
}

function verifyChecksum(block: Buffer, what: string): void {
  let sum = 0;
  for (let i = 0; i < blockSize; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  if (sum !== parseOctal(block, 148, 8)) throw invalid(what, "a header checksum does not match");
}

function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  for (let at = 0; at < data.length; ) {
    const space = data.indexOf(0x20, at);
    const length = Number(data.toString("latin1", at, space));
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = data.toString("utf8", space + 1, at + length - 1);
    const eq = record.indexOf("=");
    records[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return records;
}

function parseOctal(block: Buffer, offset: number, length: number): number {
  const text = cString(block, offset, length).trim();
  return text ? Number.parseInt(text, 8) : 0;
}

function cString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.toString("utf8", 0, end < 0 ? field.length : end);
}

function invalid(what: string, why: string): KeelsonError {
  return new KeelsonError("invalidArgument", `${what} is not a valid tar archive: ${why}`);
}
