/** One member of an initramfs. */
export interface CpioEntry {
  path: string;
  type: "file" | "dir";
  mode: number;
  data?: Buffer;
}

/**
 * A cpio archive in the "newc" format the kernel unpacks as its initramfs:
 * entries sorted by path (parents first), owned by root, mtime 0, inode
 * numbers in order, so the same files always give the same bytes.
 */
export function cpioArchive(entries: readonly CpioEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const parts: Buffer[] = [];
  sorted.forEach((entry, i) => {
    const data = entry.type === "file" ? (entry.data ?? Buffer.alloc(0)) : Buffer.alloc(0);
    const kind = entry.type === "file" ? 0o100000 : 0o040000;
    parts.push(member(entry.path, i + 1, kind | entry.mode, entry.type === "dir" ? 2 : 1, data));
  });
  parts.push(member("TRAILER!!!", 0, 0, 1, Buffer.alloc(0)));
  return Buffer.concat(parts);
}

function member(path: string, inode: number, mode: number, links: number, data: Buffer): Buffer {
  const name = Buffer.from(`${path}\0`);
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  const fields = [inode, mode, 0, 0, links, 0, data.length, 0, 0, 0, 0, name.length, 0];
  const header = Buffer.from(`070701${fields.map(hex).join("")}`);
  return Buffer.concat([
    header,
    name,
    padding(header.length + name.length),
    data,
    padding(data.length),
  ]);
}

/** newc aligns every header and every file's data to 4 bytes. */
function padding(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}
