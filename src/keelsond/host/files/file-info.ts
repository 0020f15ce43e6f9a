import type { Stats } from "node:fs";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { FileInfoSchema } from "../../../machinery/api/gen/keelson/machine/v1/machine_pb";

export type FileInfo = MessageInitShape<typeof FileInfoSchema>;

/** mode carries permission, setuid/setgid and sticky bits; the file type is in `type`. */
export function fileInfo(path: string, stats: Stats, linkTarget = ""): FileInfo {
  return {
    path,
    type: fileType(stats),
    sizeBytes: BigInt(stats.size),
    mode: stats.mode & 0o7777,
    modified: timestampFromDate(stats.mtime),
    linkTarget,
  };
}

/** An entry that could not be read; the listing reports it and goes on. */
export function unreadable(path: string, error: unknown): FileInfo {
  const code = (error as NodeJS.ErrnoException).code;
  return { path, error: code ? `cannot read entry: ${code}` : String(error) };
}

function fileType(stats: Stats): string {
  if (stats.isFile()) return "file";
  if (stats.isDirectory()) return "directory";
  if (stats.isSymbolicLink()) return "symlink";
  return "other";
}
