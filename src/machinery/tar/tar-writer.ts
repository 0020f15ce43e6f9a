import { blockSize, type TarEntry, typeFlags } from "./tar-entry";

const maxOctal = (digits: number) => 8 ** digits - 1;

/**
 * Serialises entries, in the order given, into a POSIX tar archive (ustar
 * headers, with a pax extended header before any entry whose path, link or
 * size does not fit ustar). Nothing varies between runs: the same entries
 * always give the same bytes.
 */
export function writeTar(entries: Iterable<TarEntry>): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) parts.push(...entryBlocks(entry));
  parts.push(Buffer.alloc(blockSize * 2));
  return Buffer.concat(parts);
}

function entryBlocks(entry: TarEntry): Buffer[] {
  const data = entry.type === "file" ? (entry.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
  const name = entry.type === "dir" ? `${entry.path}/` : entry.path;
  const split = splitName(name);
  const link = entry.linkTarget ?? "";
  const pax: Record<string, string> = {};
  if (!split) pax.path = name;
  if (Buffer.byteLength(link) > 100 || !isAscii(link)) pax.linkpath = link;
  if (data.length > maxOctal(11)) pax.size = String(data.length);
  const blocks: Buffer[] = [];
  if (Object.keys(pax).length > 0) {
    const body = paxBody(pax);
    blocks.push(
      header({ name: "PaxHeaders/entry", size: body.length, type: "x" }),
      ...padded(body),
    );
  }
  blocks.push(
    header({
      name: split?.name ?? name.slice(-100),
      prefix: split?.prefix ?? "",
      size: data.length,
      type: typeFlags[entry.type],
      mode: entry.mode,
      uid: entry.uid,
      gid: entry.gid,
      mtime: entry.mtime,
      link: pax.linkpath ? "" : link,
    }),
    ...padded(data),
  );
  return blocks;
}

interface HeaderFields {
  name: string;
  prefix?: string;
  size: number;
  type: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
  link?: string;
}

function header(fields: HeaderFields): Buffer {
  const block = Buffer.alloc(blockSize);
  block.write(fields.name, 0, 100);
  octal(block, 100, 8, fields.mode ?? 0o644);
  octal(block, 108, 8, fields.uid ?? 0);
  octal(block, 116, 8, fields.gid ?? 0);
  octal(block, 124, 12, Math.min(fields.size, maxOctal(11)));
  octal(block, 136, 12, fields.mtime ?? 0);
  block.write(fields.type, 156, 1);
  block.write(fields.link ?? "", 157, 100);
  block.write("ustar\u000000", 257, 8, "latin1");
  block.write(fields.prefix ?? "", 345, 155);
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "latin1");
  return block;
}

function octal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, "0")}\u0000`, offset, length, "latin1");
}

/** ustar keeps long paths as prefix (≤155 bytes) + "/" + name (≤100 bytes). */
function splitName(path: string): { name: string; prefix: string } | undefined {
  if (!isAscii(path)) return undefined;
  if (path.length <= 100) return { name: path, prefix: "" };
  for (let at = path.indexOf("/"); at >= 0; at = path.indexOf("/", at + 1)) {
    const prefix = path.slice(0, at);
    const name = path.slice(at + 1);
    if (prefix.length <= 155 && name.length <= 100 && name.length > 0) return { name, prefix };
  }
  return undefined;
}

/** Pax records are "<length> <key>=<value>\n" where length counts itself. */
function paxBody(records: Record<string, string>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const rest = ` ${key}=${value}\n`;
    const base = Buffer.byteLength(rest);
    let length = base + 1;
    while (length !== base + String(length).length) length = base + String(length).length;
    return `${length}${rest}`;
  });
  return Buffer.from(lines.join(""));
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % blockSize;
  return rest === 0 ? [data] : [data, Buffer.alloc(blockSize - rest)];
}

function isAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}
