import { constants } from "node:fs";
import { type FileHandle, lstat, readdir, readlink } from "node:fs/promises";
import { KeelsonError } from "../../../machinery/errors";
import { type FileInfo, fileInfo, unreadable } from "./file-info";
import { descriptorPath, pinConfined } from "./open-confined";
import type { PathPolicy } from "./path-policy";

export interface Walk {
  policy: PathPolicy;
  maxEntries: number;
  signal: AbortSignal;
}

/**
 * Lists `real` (already resolved and admitted): a file lists as itself, a
 * directory as its entries, `depth` more levels down. Symlinks are reported,
 * never followed. Directories are pinned and read through their descriptor,
 * so one swapped for a symlink mid-walk cannot lead the walk outside.
 */
export async function* listTree(real: string, depth: number, walk: Walk): AsyncGenerator<FileInfo> {
  const handle = await pinConfined(real, real, walk.policy);
  const stats = await handle.stat().catch(async (error: unknown) => {
    await handle.close();
    throw KeelsonError.from(error);
  });
  if (!stats.isDirectory()) {
    await handle.close();
    yield fileInfo(real, stats);
    return;
  }
  const names = await readNames(handle).catch(async (error: unknown) => {
    await handle.close();
    const { code } = KeelsonError.from(error);
    throw new KeelsonError(code, `cannot list ${JSON.stringify(real)}: ${errno(error)}`);
  });
  yield* listDirectory({ handle, names }, real, depth, { ...walk, listed: 0 });
}

interface OpenDirectory {
  handle: FileHandle;
  names: string[];
}

async function* listDirectory(
  dir: OpenDirectory,
  shown: string,
  levelsLeft: number,
  walk: Walk & { listed: number },
): AsyncGenerator<FileInfo> {
  try {
    for (const name of dir.names) {
      if (walk.signal.aborted) return;
      if (walk.listed++ >= walk.maxEntries) throw tooMany(walk.maxEntries);
      yield* listEntry(
        `${descriptorPath(dir.handle)}/${name}`,
        joinPath(shown, name),
        levelsLeft,
        walk,
      );
    }
  } finally {
    await dir.handle.close();
  }
}

/** One entry, then (depth permitting) what is below it. */
async function* listEntry(
  fsPath: string,
  shown: string,
  levelsLeft: number,
  walk: Walk & { listed: number },
): AsyncGenerator<FileInfo> {
  const entry = await describe(fsPath, shown);
  const descend = levelsLeft > 0 && entry.type === "directory";
  let child = descend ? await openChild(entry, fsPath, walk.policy) : undefined;
  try {
    yield entry;
    if (child) {
      const owned = child;
      child = undefined;
      yield* listDirectory(owned, shown, levelsLeft - 1, walk);
    }
  } finally {
    // Still set only if the consumer stopped at the yield, before listDirectory took it over.
    await child?.handle.close();
  }
}

async function describe(fsPath: string, shown: string): Promise<FileInfo> {
  try {
    const stats = await lstat(fsPath);
    return fileInfo(shown, stats, stats.isSymbolicLink() ? await readlink(fsPath) : "");
  } catch (error) {
    return unreadable(shown, error);
  }
}

/**
 * Pins and reads a subdirectory to descend into. It is read before its own
 * entry is yielded, so a failure can be reported on that entry and the walk
 * goes on past it.
 */
async function openChild(entry: FileInfo, fsPath: string, policy: PathPolicy) {
  let handle: FileHandle | undefined;
  try {
    handle = await pinConfined(fsPath, entry.path as string, policy, constants.O_DIRECTORY);
    return { handle, names: await readNames(handle) };
  } catch (error) {
    await handle?.close();
    const reason = error instanceof KeelsonError ? error.message : errno(error);
    entry.error = `cannot list directory: ${reason}`;
    return undefined;
  }
}

/** Entry names, sorted so listings are stable and diffable. */
async function readNames(handle: FileHandle): Promise<string[]> {
  return (await readdir(descriptorPath(handle))).sort();
}

/** The errno name alone: Node's message would name /proc/self/fd/N, not the client's path. */
function errno(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

function joinPath(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

function tooMany(max: number): KeelsonError {
  return new KeelsonError(
    "resourceExhausted",
    `the listing stopped after ${max} entries`,
    "list a narrower path or a smaller depth",
  );
}
