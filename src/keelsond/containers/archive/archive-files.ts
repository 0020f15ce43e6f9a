import { gunzipSync } from "node:zlib";
import { KeelsonError } from "../../../machinery/errors";
import { readTar } from "../../../machinery/tar";

/** The regular files of an image archive by path; a gzipped archive is unpacked first. */
export function archiveFiles(archive: Buffer, what: string): Map<string, Buffer> {
  let tar = archive;
  if (archive[0] === 0x1f && archive[1] === 0x8b) {
    try {
      tar = gunzipSync(archive);
    } catch (error) {
      throw new KeelsonError("invalidArgument", `${what} is gzipped but corrupt`, undefined, {
        cause: error,
      });
    }
  }
  const files = new Map<string, Buffer>();
  for (const entry of readTar(tar, what)) {
    if (entry.type === "file" && entry.data) files.set(entry.path, entry.data);
  }
  return files;
}

export function parseJson(data: Buffer | undefined, what: string): unknown {
  if (!data) throw new KeelsonError("invalidArgument", `${what} is missing`);
  try {
    return JSON.parse(data.toString("utf8"));
  } catch {
    throw new KeelsonError("invalidArgument", `${what} is not valid JSON`);
  }
}
